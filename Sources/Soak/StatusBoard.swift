import Foundation
import Postgres
import Synchronization

/// Every product's status, polled from Postgres in one query a few times a second, so the
/// storefront's many flows wait on conditions without hammering the intake. Database
/// outages (injected) just leave the last snapshot in place.
final class StatusBoard: Sendable {
    struct Entry: Sendable {
        var status: String
        var iteration: Int
        var selectionVersion: Int
    }

    private let conninfo: String
    /// `LIKE` pattern of the owners whose products are polled (the run's own, not a seeded history).
    private let ownerPattern: String
    private let snapshot = Mutex<[UUID: Entry]>([:])
    private let running = Atomic<Bool>(true)

    init(conninfo: String, ownerPattern: String) {
        self.conninfo = conninfo
        self.ownerPattern = ownerPattern
    }

    subscript(product: UUID) -> Entry? { snapshot.withLock { $0[product] } }

    func stop() { running.store(false, ordering: .relaxed) }

    /// Polls until ``stop()``, on a thread of its own (libpq blocks).
    func run() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                var connection: PostgresConnection?
                while self.running.load(ordering: .relaxed) {
                    do {
                        let open = try connection ?? PostgresConnection.connect(self.conninfo)
                        connection = open
                        let rows = try open.query("""
                            SELECT id, status::text, iteration, selection_version FROM products
                            WHERE owner_id IN (SELECT id FROM owners WHERE name LIKE \(self.ownerPattern))
                            """)
                        var entries: [UUID: Entry] = [:]
                        for row in rows {
                            let (id, status, iteration, selectionVersion) = try row.decode((UUID, String, Int, Int).self)
                            entries[id] = Entry(status: status, iteration: iteration, selectionVersion: selectionVersion)
                        }
                        self.snapshot.withLock { $0 = entries }
                    } catch {
                        connection?.close()
                        connection = nil
                    }
                    Thread.sleep(forTimeInterval: 0.25)
                }
                connection?.close()
                continuation.resume()
            }
        }
    }

    /// Waits until `condition` holds for the product, or `deadline` passes (returns nil).
    func wait(for product: UUID, until deadline: ContinuousClock.Instant, _ condition: (Entry) -> Bool) async -> Entry? {
        while ContinuousClock.now < deadline {
            if let entry = self[product], condition(entry) { return entry }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }
}
