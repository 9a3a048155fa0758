import FleetTesting
import Foundation
import JobRuntime
import Testing

/// Faults that need a real process: kill -9, poison messages, SIGTERM.
@Suite struct ProcessFaultTests {
    @Test func killNineMidJobIsRedeliveredAndCompletedOnce() async throws {
        let fixture = try await RuntimeFixture.make()
        let first = try fixture.spawnWorker()
        let id = try await fixture.enqueue(.init(echo: "survivor", sleepMilliseconds: 3000))
        try await fixture.waitForState(id, "running")
        first.signal(SIGKILL)
        _ = try await first.waitForExit()

        let second = try fixture.spawnWorker()
        defer { second.signal(SIGKILL) }
        try await fixture.waitForState(id, "succeeded")
        #expect(try await fixture.job(id).attempts == 2)
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = \(id)") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'abandoned'") == 1)
        await fixture.tearDown()
    }

    @Test func aPoisonMessageIsDeadLetteredByTheDeliveryLimitAndRecorded() async throws {
        let fixture = try await RuntimeFixture.make(deliveryLimit: 2)
        let id = try await fixture.enqueue(.init(crash: true))
        // Every worker that takes the message dies with it; keep starting new ones, as systemd
        // would, until the broker gives up on the message.
        var crashes = 0
        try await waitUntil("the poison message to be recorded", timeout: .seconds(120)) {
            if try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id)") == 1 { return true }
            let worker = try fixture.spawnWorker(prefetch: 1)
            try await waitUntil("the worker to die or the message to be recorded", timeout: .seconds(30)) {
                if !worker.isRunning { return true }
                return try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id)") == 1
            }
            if !worker.isRunning { crashes += 1 } else { worker.signal(SIGKILL) }
            return false
        }
        #expect(crashes >= 2)
        #expect(try await fixture.job(id).state == "dead")
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id) AND reason LIKE 'poison message%'") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM canary_results") == 0)
        await fixture.tearDown()
    }

    @Test func sigtermFinishesInFlightJobsAcksThemAndExitsZero() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker(prefetch: 4, shutdownGrace: 30)
        let ids = try await fixture.enqueue((0..<4).map { _ in CanaryHandler.Payload(sleepMilliseconds: 2000) })
        try await waitUntil("all four jobs running") {
            try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'running'") == 4
        }
        worker.signal(SIGTERM)
        let status = try await worker.waitForExit()
        #expect(status == 0, "\(worker.log.suffix(2000))")
        for id in ids {
            let job = try await fixture.job(id)
            #expect(job.state == "succeeded")
            #expect(job.attempts == 1)
        }
        // Acked: nothing is waiting in the queue to be redelivered.
        let depth = try await fixture.broker.declareQueue(name: fixture.queue.name, passive: true)
        #expect(depth.messageCount == 0)
        #expect(try await fixture.count("SELECT count(*) FROM canary_results") == 4)
        await fixture.tearDown()
    }

    /// A stop while the daemon is still starting (here: declaring its topology while the
    /// broker cannot be reached) is a clean stop: exit 0 at once, not a death by signal.
    @Test func sigtermDuringStartUpExitsZero() async throws {
        let fixture = try await RuntimeFixture.make()
        let unreachable = try freeLoopbackPort()
        let worker = try WorkerProcess(arguments: [
            "--database-url", fixture.conninfo, "--amqp-url", "amqp://guest:guest@127.0.0.1:\(unreachable)/%2f",
            "--queue", fixture.queue.name, "--declare", "--storage-url", "file:///tmp/itp-canary-unused",
            "--observability-addr", "127.0.0.1:0",
        ])
        defer { worker.signal(SIGKILL) }
        try await waitUntil("the worker to be starting, retrying the broker") { worker.log.contains("AMQP not connected") }
        worker.signal(SIGTERM)
        let status = try await worker.waitForExit()
        #expect(worker.process.terminationReason == .exit, "\(worker.log.suffix(2000))")
        #expect(status == 0, "\(worker.log.suffix(2000))")
        await fixture.tearDown()
    }
}
