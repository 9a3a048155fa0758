import Synchronization
import Testing
@testable import JobRuntime

/// Conditions only: a wait with an hour's timeout that returns was woken; one that has not
/// returned after others ran is still waiting. A slow machine cannot make these pass wrongly.
@Suite(.timeLimit(.minutes(1))) struct WakeSignalTests {
    @Test func aSignalBeforeTheWaitIsRemembered() async {
        let signal = WakeSignal()
        signal.signal()
        await signal.wait(timeout: .seconds(3600))
    }

    @Test func aWaitAfterATimeoutStillBlocksUntilSignalled() async throws {
        // The relay's old wait (cancelling an AsyncStream iteration) finished the stream on
        // the first timeout, and every later wait returned at once: a busy loop.
        let signal = WakeSignal()
        await signal.wait(timeout: .milliseconds(10))
        await signal.wait(timeout: .milliseconds(10))

        let returned = Flag()
        async let waited: Void = {
            await signal.wait(timeout: .seconds(3600))
            returned.set()
        }()
        try await Task.sleep(for: .milliseconds(200))
        let returnedEarly = returned.isSet
        #expect(!returnedEarly, "a wait with an hour's timeout returned without a signal")
        signal.signal()
        await waited
        let returnedAfterSignal = returned.isSet
        #expect(returnedAfterSignal)
    }
}

final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
