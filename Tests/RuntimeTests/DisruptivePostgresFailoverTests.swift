import FleetTesting
import Foundation
import JobRuntime
import Postgres
import Testing

/// Two canary workers on a primary with a synchronous standby, through the multi-host URL
/// (`target_session_attrs=read-write`). Mid-run the primary is killed (kill -9) and the
/// standby promoted: the workers reconnect to it, issue their LISTENs there again,
/// transactions cut off are retried, and every job completes exactly once. Boots its own Postgres pair, so it is Disruptive.
@Suite(.serialized) struct DisruptivePostgresFailoverTests {
    static let jobs = 300

    @Test func aPrimaryKilledMidRunFailsOverToTheStandbyAndEveryJobCompletesOnce() async throws {
        let pair = try PostgresPairTestEnvironment.start(try TestEnvironment.require())
        defer { try? pair.stop() }
        let fixture = try await RuntimeFixture.make(databaseURL: pair.databaseURL)
        let workers = try (0..<2).map { _ in try fixture.spawnWorker(prefetch: 8) }
        defer { workers.forEach { $0.signal(SIGKILL) } }
        let ids = try await fixture.enqueue((0..<Self.jobs).map { CanaryHandler.Payload(echo: "\($0)", sleepMilliseconds: 20) })
        try await waitUntil("a fifth of the jobs done before the fault", timeout: .seconds(120)) {
            try await fixture.count("SELECT count(*) FROM canary_results") >= Self.jobs / 5
        }

        let doneBefore = try await fixture.count("SELECT count(*) FROM canary_results")
        // Each worker's outbox relay holds a LISTEN session (pg_stat_activity shows a session's
        // last statement: a listener runs nothing after its LISTEN).
        let listening: SQL = """
            SELECT count(*) FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN %'
            """
        let listenersBefore = try await fixture.count(listening)
        #expect(listenersBefore >= workers.count, "\(listenersBefore) LISTEN sessions for \(workers.count) workers")
        try pair.failover()
        // Acknowledged commits survive (the standby was synchronous), and work was left to do.
        // The test's own pooled connection to the dead primary fails once, then reconnects.
        try await waitUntil("the new primary has every effect committed before the kill", timeout: .seconds(60)) {
            (try? await fixture.count("SELECT count(*) FROM canary_results")).map { $0 >= doneBefore } ?? false
        }
        #expect(doneBefore < Self.jobs, "every job finished before the failover: nothing was cut off")
        // Every LISTEN is issued again on the new primary.
        try await waitUntil("the workers' LISTENs on the new primary", timeout: .seconds(60)) {
            (try? await fixture.count(listening)).map { $0 >= listenersBefore } ?? false
        }

        try await waitUntil("all \(Self.jobs) jobs succeeded on the new primary", timeout: .seconds(300)) {
            (try? await fixture.count("SELECT count(*) FROM jobs WHERE state = 'succeeded'")) == Self.jobs
        }
        // The figure the issue asks for: from the last commit the old primary made (the last
        // transaction the standby replayed: the kill came right after it, workers commit every
        // few milliseconds) to the first job committed on the new primary. Printed, never
        // asserted: it measures the machine.
        let outageMilliseconds = try await fixture.count("""
            SELECT COALESCE((extract(epoch FROM min(created_at) - pg_last_xact_replay_timestamp()) * 1000)::bigint, -1)
            FROM canary_results WHERE created_at > pg_last_xact_replay_timestamp()
            """)
        #expect(outageMilliseconds >= 0, "no job committed on the new primary after the last replayed one")
        print("failover: last commit on the killed primary → first job committed on the new primary: "
              + String(format: "%.2f s", Double(outageMilliseconds) / 1000))
        #expect(try await fixture.count("SELECT count(*) FROM canary_results") == ids.count)
        #expect(try await fixture.count("SELECT count(DISTINCT job_id) FROM canary_results") == ids.count)
        try await waitUntil("the outbox to drain", timeout: .seconds(120)) {
            try await fixture.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
        }
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters") == 0)
        #expect(try await fixture.count("SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END") == 0)
        for worker in workers { #expect(worker.isRunning, "a worker died: \(worker.log.suffix(1500))") }
        await fixture.tearDown()
    }
}
