import AMQP
import FleetTesting
import Foundation
import JobRuntime
import Postgres
import Testing

/// `itp-admin queues` and `scale plan` as the built binary, on a queue of the test's own
/// with a known backlog; systemctl is a stand-in script that lists instances and logs calls.
@Suite struct AdminQueueAndScaleTests {
    /// Publishes `count` messages straight into the fixture's queue (nobody consumes it).
    func backlog(_ fixture: AdminFixture, _ count: Int) async throws {
        for index in 0..<count {
            try await fixture.broker.publish(exchange: Topology.jobsExchange, routingKey: fixture.queue.name, body: Array("\(index)".utf8))
        }
    }

    /// Job rows: `running` in flight, `queued` waiting since `waitingSeconds` ago, and
    /// `measured` succeeded attempts of `jobSeconds` each in the last hour.
    func jobs(_ fixture: AdminFixture, running: Int, queued: Int, waitingSeconds: Int, measured: Int, jobSeconds: Int) async throws {
        let queue = fixture.queue.name
        try await fixture.sql { connection in
            try connection.execute("""
                INSERT INTO jobs (kind, queue, payload, state, attempts, started_at)
                SELECT 'canary', \(queue), '{}', 'running', 1, now() FROM generate_series(1, \(running))
                """)
            try connection.execute("""
                INSERT INTO jobs (kind, queue, payload, state, created_at, updated_at)
                SELECT 'canary', \(queue), '{}', 'queued', now() - make_interval(secs => \(waitingSeconds)),
                       now() - make_interval(secs => \(waitingSeconds)) FROM generate_series(1, \(queued))
                """)
            let jobs = try connection.query("""
                INSERT INTO jobs (kind, queue, payload, state, attempts, finished_at)
                SELECT 'canary', \(queue), '{}', 'succeeded', 1, now() FROM generate_series(1, \(measured)) RETURNING id
                """).map { try $0.decode(UUID.self, at: 0) }
            for job in jobs {
                try connection.execute("""
                    INSERT INTO job_attempts (job_id, attempt, started_at, finished_at, outcome)
                    VALUES (\(job), 1, now() - make_interval(secs => \(jobSeconds + 60)), now() - interval '60 seconds', 'succeeded')
                    """)
            }
        }
    }

    @Test func queuesShowsReadyInFlightConsumersOldestAgeAndDeadLetters() async throws {
        let fixture = try await AdminFixture.make("admin_queues")
        try await backlog(fixture, 5)
        try await jobs(fixture, running: 2, queued: 1, waitingSeconds: 600, measured: 0, jobSeconds: 1)
        try await waitUntil("the broker to count 5 ready") {
            try await fixture.broker.declareQueue(name: fixture.queue.name, passive: true).messageCount == 5
        }
        let run = try await fixture.admin(["queues", "--queue", fixture.queue.name, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let snapshot = try #require((try run.json() as? [[String: Any]])?.first)
        #expect(snapshot["ready"] as? Int == 5)
        #expect(snapshot["in_flight"] as? Int == 2)
        #expect(snapshot["consumers"] as? Int == 0)
        #expect(snapshot["queued_jobs"] as? Int == 1)
        #expect((snapshot["oldest_waiting_seconds"] as? Double ?? 0) >= 600)
        #expect(snapshot["dead_letters_recorded"] as? Int == 0)
        let table = try await fixture.admin(["queues", "--queue", fixture.queue.name, "--queue", "no.such.queue"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("IN FLIGHT"))
        #expect(table.stdout.contains("no.such.queue: not declared"), "\(table.stdout)")
        await fixture.tearDown()
    }

    @Test func theScalePlanForAKnownBacklogStartsTheInstancesItNeeds() async throws {
        let fixture = try await AdminFixture.make("admin_scale")
        // 20 ready + 2 in flight, 12 s per job measured, 2 jobs per instance, drain within 60 s:
        // 22 × 12 ÷ (60 × 2) = 2.2 → 3 instances; one runs, so start two more.
        try await backlog(fixture, 20)
        try await jobs(fixture, running: 2, queued: 0, waitingSeconds: 0, measured: 3, jobSeconds: 12)
        try await waitUntil("the broker to count 20 ready") {
            try await fixture.broker.declareQueue(name: fixture.queue.name, passive: true).messageCount == 20
        }
        let systemctl = try FakeSystemctl(unit: "itp-test-worker", instances: [1])
        let arguments = ["scale", "plan", "--worker", "\(fixture.queue.name)=itp-test-worker", "--concurrency", "2",
                         "--target-drain-seconds", "60", "--min", "1", "--max", "10", "--systemctl", systemctl.path]
        let dry = try await fixture.admin(arguments + ["--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let plan = try #require((try dry.json() as? [[String: Any]])?.first)
        #expect(plan["ready"] as? Int == 20)
        #expect(plan["in_flight"] as? Int == 2)
        #expect(plan["job_seconds"] as? Double == 12)
        #expect(plan["current"] as? Int == 1)
        #expect(plan["needed"] as? Int == 3)
        #expect(plan["action"] as? String == "scale_out")
        #expect(plan["commands"] as? [[String]] == [["start", "itp-test-worker@2.service", "itp-test-worker@3.service"]])
        #expect(!systemctl.log.contains("start"), "a dry run starts nothing")

        let applied = try await fixture.admin(arguments + ["--apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("ran: systemctl start itp-test-worker@2.service itp-test-worker@3.service"), "\(applied.stdout)")
        #expect(systemctl.log.contains("start itp-test-worker@2.service itp-test-worker@3.service"))
        #expect(try await fixture.count("SELECT count(*) FROM scale_readings WHERE queue = \(fixture.queue.name) AND needed = 3") == 2)
        await fixture.tearDown()
    }

    @Test func theScalePlanScalesInOnlyAfterConsecutiveQuietReadings() async throws {
        let fixture = try await AdminFixture.make("admin_scale_in")
        let systemctl = try FakeSystemctl(unit: "itp-test-worker", instances: [1, 2, 3, 4])
        let arguments = ["scale", "plan", "--worker", "\(fixture.queue.name)=itp-test-worker", "--min", "1", "--max", "8",
                         "--scale-in-readings", "3", "--restart-hold-seconds", "0", "--systemctl", systemctl.path, "--apply"]
        for reading in 1...2 {
            let run = try await fixture.admin(arguments)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("hold at 4"), "reading \(reading): \(run.stdout)")
            #expect(run.stdout.contains("\(reading) of 3 consecutive readings"), "\(run.stdout)")
        }
        #expect(!systemctl.log.contains("stop"))
        let third = try await fixture.admin(arguments)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.contains("scale in to 1"), "\(third.stdout)")
        #expect(systemctl.log.contains("stop itp-test-worker@2.service itp-test-worker@3.service itp-test-worker@4.service"))
        await fixture.tearDown()
    }

    @Test func noScaleInRightAfterTheBrokerRestartMarkerWasSeenMissing() async throws {
        let fixture = try await AdminFixture.make("admin_scale_restart")
        // A recorded restart a moment ago holds every scale-in for the hold time.
        try await fixture.sql { connection in
            try connection.execute("""
                INSERT INTO scale_readings (queue, ready, in_flight, consumers, instances, job_seconds, needed, desired, broker_restarted)
                VALUES ('design.generate', 0, 0, 0, 0, 1, 1, 1, true)
                """)
        }
        let systemctl = try FakeSystemctl(unit: "itp-test-worker", instances: [1, 2])
        let arguments = ["scale", "plan", "--worker", "\(fixture.queue.name)=itp-test-worker", "--scale-in-readings", "2",
                         "--systemctl", systemctl.path, "--apply"]
        for _ in 1...3 {
            let run = try await fixture.admin(arguments)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("no scale-in for 300 s after a restart"), "\(run.stdout)")
        }
        #expect(!systemctl.log.contains("stop"))
        await fixture.tearDown()
    }
}
