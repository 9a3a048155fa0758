import AMQP
import FleetTesting
import Foundation
import JobRuntime
import Logging
import Testing

/// Issue 13: a work queue deleted under its consumers is declared again by the worker, and a
/// job published afterwards is processed (before, the worker logged a 404 every second).
@Suite struct QueueRecoveryTests {
    @Test func aWorkQueueDeletedUnderItsConsumerIsDeclaredAgainAndALaterJobRuns() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker()
        defer { worker.signal(SIGKILL) }
        let first = try await fixture.enqueue(.init(echo: "before"))
        try await fixture.waitForState(first, "succeeded")

        // Under the consumer, as `rabbitmqctl delete_queue` would; a delay queue as well.
        try await fixture.broker.deleteQueue(name: fixture.queue.name)
        try await fixture.broker.deleteQueue(name: fixture.queue.delayQueue(.seconds(5)))
        let after = try await fixture.enqueue(.init(echo: "after"))
        try await fixture.waitForState(after, "succeeded", timeout: .seconds(120))
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = \(after)") == 1)
        // The topology is back with its arguments (a passive declare would not tell: declare
        // actively with the same arguments, which the broker refuses with 406 if they differ).
        try await Topology(workQueues: [fixture.queue]).declare(on: fixture.broker)
        try await fixture.broker.declareQueue(name: fixture.queue.delayQueue(.seconds(5)), passive: true)
        try await waitUntil("the worker to log the re-declaration") {
            worker.log.contains("work queue topology declared again") && worker.log.contains(fixture.queue.name)
        }
        await fixture.tearDown()
    }

    @Test func theGuardReportsMissingQueuesAndDeclaresThemAgain() async throws {
        let fixture = try await RuntimeFixture.make()
        let guardian = QueueTopologyGuard(queue: fixture.queue, broker: fixture.broker, logger: fixture.logger)
        #expect(await guardian.checkOnce() == [])
        #expect(guardian.isReady)
        try await fixture.broker.deleteQueue(name: fixture.queue.deadLetterQueue)
        #expect(await guardian.checkOnce() == [fixture.queue.deadLetterQueue])
        #expect(guardian.isReady)
        #expect(try await fixture.broker.declareQueue(name: fixture.queue.deadLetterQueue, passive: true).name == fixture.queue.deadLetterQueue)
        #expect(await guardian.checkOnce() == [])

        // A re-declaration the broker refuses (a delay queue re-created by hand as a classic
        // queue: 406 on the quorum arguments) leaves the worker not ready, naming the queue.
        let delay = fixture.queue.delayQueue(.seconds(1))
        try await fixture.broker.deleteQueue(name: delay)
        try await fixture.broker.declareQueue(name: delay)
        try await fixture.broker.deleteQueue(name: fixture.queue.name)
        #expect(await guardian.checkOnce() == [fixture.queue.name])
        #expect(!guardian.isReady)
        #expect(guardian.missingQueues == [fixture.queue.name])
        // The work queue itself was declared before the refusal: the next check finds all present.
        #expect(await guardian.checkOnce() == [])
        #expect(guardian.isReady)
        await fixture.tearDown()
    }
}
