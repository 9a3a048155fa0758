import FleetTesting
import Foundation
@testable import JobRuntime
import Postgres
import Synchronization
import Testing

/// The fence around an attempt's blob writes: a later attempt's claim waits for it, and an
/// attempt whose claim was taken over writes nothing (the soak's overwritten blobs).
@Suite struct ClaimFenceTests {
    private func runningJob(_ fixture: RuntimeFixture, attempt: Int) async throws -> ClaimedJob {
        let id = try await fixture.enqueue(CanaryHandler.Payload(echo: "fenced"))
        try await fixture.database.withConnection { connection in
            try connection.execute("UPDATE jobs SET state = 'running', attempts = \(attempt) WHERE id = \(id)")
        }
        return ClaimedJob(
            id: id, kind: CanaryHandler.kind, queue: fixture.queue.name, productID: nil, attempt: attempt, maxAttempts: 5,
            rateLimitedWaits: 0, iteration: nil, selectionVersion: nil, payload: Data(), redelivered: false)
    }

    /// What a second worker's claim does to a running job (JobStore's claim statement).
    private func claimAgain(_ id: UUID, _ conninfo: String) throws -> Int {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        return try connection.execute("UPDATE jobs SET attempts = attempts + 1 WHERE id = \(id) AND state = 'running'")
    }

    @Test func aLaterClaimWaitsUntilTheWritesOfTheHeldClaimAreDone() async throws {
        let fixture = try await RuntimeFixture.make()
        let job = try await runningJob(fixture, attempt: 1)
        let log = OrderLog()
        let conninfo = fixture.conninfo
        // A second worker claims the job while the first attempt writes under its fence.
        let takeover = Task {
            try await waitUntil("the fence is held") { log.contains("fence held") }
            log.append("claim sent")
            let claimed = try await offPool { try claimAgain(job.id, conninfo) }
            log.append("attempt 2 claimed")
            return claimed
        }
        try await job.whileClaimHeld(in: fixture.database) {
            log.append("fence held")
            try await waitUntil("the claim is sent") { log.contains("claim sent") }
            try await Task.sleep(for: .milliseconds(500))
            // The claim has not passed the held one.
            #expect(try await fixture.database.withConnection { connection in
                try connection.query("SELECT attempts FROM jobs WHERE id = \(job.id)")[0].decode(Int.self, at: 0)
            } == 1)
            log.append("attempt 1 wrote")
        }
        #expect(try await takeover.value == 1)
        #expect(log.items == ["fence held", "claim sent", "attempt 1 wrote", "attempt 2 claimed"])
    }

    @Test func anAttemptWhoseClaimWasTakenOverWritesNothing() async throws {
        let fixture = try await RuntimeFixture.make()
        let job = try await runningJob(fixture, attempt: 1)
        #expect(try claimAgain(job.id, fixture.conninfo) == 1)
        let ran = Mutex(false)
        let error = await #expect(throws: JobFailure.self) {
            try await job.whileClaimHeld(in: fixture.database) { ran.withLock { $0 = true } }
        }
        #expect(!ran.withLock { $0 })
        #expect(error?.errorClass == .transient)
        #expect(error?.stage == "claim_fence")
    }
}

/// Events in the order they happened, from several tasks.
final class OrderLog: Sendable {
    private let events = Mutex<[String]>([])
    func append(_ event: String) { events.withLock { $0.append(event) } }
    func contains(_ event: String) -> Bool { events.withLock { $0.contains(event) } }
    var items: [String] { events.withLock { $0 } }
}
