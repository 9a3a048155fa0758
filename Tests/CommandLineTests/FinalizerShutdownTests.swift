import FleetTesting
import Foundation
import Postgres
import Testing

/// SIGTERM with events in flight: the finalizer drains, and every service behind the worker
/// (sweep, dead-letter recorder, outbox relay, database probe) stops at once instead of
/// waiting out its own sleep. They stop one after another, so those waits added up (the sweep
/// alone slept up to its 15 s interval) and ran the shutdown past the grace.
@Suite struct FinalizerShutdownTests {
    /// Also with retention off (both settings 0): its service then has nothing to do, and
    /// once returned at start, which ended the finalizer before it did any work.
    @Test(arguments: [[], ["--retention-outbox-days", "0", "--retention-attempts-days", "0"]])
    func sigtermWithEventsInFlightDrainsAndExitsZeroWithoutWaitingOutTheSweep(retention: [String]) async throws {
        let vhost = try await FreshVhost.make("itp_fin_stop")
        let schema = try await MigratedSchema.create("fin_stop")
        let events = 3000
        try await offPool {
            let connection = try PostgresConnection.connect(schema.conninfo)
            defer { connection.close() }
            try connection.execute("""
                WITH p AS (SELECT gen_random_uuid() AS product, gen_random_uuid() AS job FROM generate_series(1, \(events))),
                j AS (INSERT INTO jobs (id, kind, queue, payload, schema_version, max_attempts)
                      SELECT job, 'finalizer.event', 'finalizer.events',
                             jsonb_build_object('name', 'design.generated', 'product_id', product), 1, 10 FROM p
                      RETURNING id, payload)
                INSERT INTO outbox (exchange, routing_key, body, content_type, headers, job_id)
                SELECT 'itp.events', 'design.generated',
                       convert_to(jsonb_build_object('schema_version', 1, 'job_id', id, 'kind', 'finalizer.event', 'payload', payload)::text, 'UTF8'),
                       'application/json', jsonb_build_object('x-itp-kind', 'finalizer.event', 'x-itp-job-id', id::text), id
                FROM j
                """)
        }
        // A sweep interval and a grace far beyond the wait below: only a shutdown that ends
        // the sweep's wait (and every other service's) exits within it.
        let finalizer = try ChildProcess(try BuiltProducts.path("itp-finalizer"), [
            "--database-url", schema.conninfo, "--amqp-url", vhost.url, "--declare",
            "--storage-url", "file:///tmp/itp-finalizer-unused", "--observability-addr", "127.0.0.1:0",
            "--sweep-interval", "3600", "--shutdown-grace", "3600",
        ] + retention)
        func count(_ state: String) async throws -> Int {
            try await offPool {
                let connection = try PostgresConnection.connect(schema.conninfo)
                defer { connection.close() }
                return try connection.query("SELECT count(*) FROM jobs WHERE state::text = \(state)")[0].decode(Int.self, at: 0)
            }
        }
        try await waitUntil("the finalizer to settle its first events", timeout: .seconds(120), poll: .milliseconds(20)) {
            try await count("succeeded") > 0
        }
        kill(finalizer.process.processIdentifier, SIGTERM)
        try await waitUntil("the finalizer to exit after SIGTERM", timeout: .seconds(90), poll: .milliseconds(100)) {
            !finalizer.process.isRunning
        }
        #expect(finalizer.process.terminationReason == .exit)
        #expect(finalizer.process.terminationStatus == 0, "\(finalizer.log.suffix(3000))")
        // It drained: nothing it took is left half done, and it says so.
        #expect(try await count("running") == 0)
        #expect(finalizer.log.contains("stopping: finishing in-flight work"))
        #expect(finalizer.log.contains("msg=stopped"), "\(finalizer.log.suffix(2000))")
        _ = try? await offPool { schema.drop() }
        await vhost.delete()
    }
}
