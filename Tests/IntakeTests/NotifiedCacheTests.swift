import Testing
@testable import Intake

@Suite("NotifiedCache: no value outlives its notification, its age or its connection")
struct NotifiedCacheTests {
    private func connected(capacity: Int = 8, maxAge: Duration = .seconds(30)) -> NotifiedCache<Int, String> {
        let cache = NotifiedCache<Int, String>(capacity: capacity, maxAge: maxAge)
        cache.listening(true)
        return cache
    }

    @Test func storesAndAnswersWhileListening() {
        let cache = connected()
        cache.store("a", for: 1, ticket: cache.ticket())
        #expect(cache.value(for: 1) == "a")
        #expect(cache.value(for: 2) == nil)
    }

    @Test func anInvalidationBetweenReadAndStoreRefusesTheStaleValue() {
        let cache = connected()
        let ticket = cache.ticket()
        cache.invalidate([1])  // the change was notified while the read was under way
        cache.store("stale", for: 1, ticket: ticket)
        #expect(cache.value(for: 1) == nil)
        // A read started after it stores.
        cache.store("fresh", for: 1, ticket: cache.ticket())
        #expect(cache.value(for: 1) == "fresh")
    }

    @Test func anInvalidationOfAnotherKeyAlsoRefusesTheStore() {
        // One generation for all keys: conservative, never stale.
        let cache = connected()
        let ticket = cache.ticket()
        cache.invalidate([2])
        cache.store("a", for: 1, ticket: ticket)
        #expect(cache.value(for: 1) == nil)
    }

    @Test func invalidationDropsOnlyTheNamedKeys() {
        let cache = connected()
        cache.store("a", for: 1, ticket: cache.ticket())
        cache.store("b", for: 2, ticket: cache.ticket())
        cache.invalidate([1])
        #expect(cache.value(for: 1) == nil)
        #expect(cache.value(for: 2) == "b")
    }

    @Test func withoutTheConnectionNothingIsAnsweredOrStored() {
        let cache = NotifiedCache<Int, String>(capacity: 8, maxAge: .seconds(30))
        #expect(cache.ticket() == nil)
        cache.store("a", for: 1, ticket: 0)
        cache.listening(true)
        #expect(cache.value(for: 1) == nil)

        cache.store("b", for: 1, ticket: cache.ticket())
        let ticket = cache.ticket()
        cache.listening(false)  // notifications may be lost from here on
        #expect(cache.value(for: 1) == nil)
        cache.listening(true)
        #expect(cache.value(for: 1) == nil)  // a reconnect starts empty
        cache.store("c", for: 1, ticket: ticket)  // a read from before the loss
        #expect(cache.value(for: 1) == nil)
    }

    @Test func valuesExpireAfterMaxAge() {
        let cache = connected(maxAge: .seconds(30))
        let start = ContinuousClock.now
        cache.store("a", for: 1, ticket: cache.ticket(), now: start)
        #expect(cache.value(for: 1, now: start + .seconds(29)) == "a")
        #expect(cache.value(for: 1, now: start + .seconds(30)) == nil)
        #expect(cache.count == 0)
    }

    @Test func capacityBoundsMemory() {
        let cache = connected(capacity: 3)
        for key in 0..<10 { cache.store("v\(key)", for: key, ticket: cache.ticket()) }
        #expect(cache.count <= 3)
        #expect(cache.value(for: 9) == "v9")
    }
}
