import FleetTesting
import Foundation
import JobRuntime
import Postgres
import Testing

/// `itp-admin dlq …` and `jobs …` run as the built binary against the real servers, with a
/// real canary worker producing dead jobs on a queue of the test's own.
@Suite struct AdminDeadLetterTests {
    /// A path that does not exist until the test "fixes" the dependency.
    func missingFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("dependency")).path
    }

    func deadLetterID(_ fixture: AdminFixture, job: UUID) async throws -> Int64 {
        try await waitUntil("the dead letter of \(job) to be recorded") {
            try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(job)") == 1
        }
        return try await fixture.sql { try $0.query("SELECT id FROM dead_letters WHERE job_id = \(job)")[0].decode(Int64.self, at: 0) }
    }

    @Test func aDeadJobIsListedShownReplayedAndSucceedsThenAReplayOfTheSucceededJobIsRefused() async throws {
        let fixture = try await AdminFixture.make("admin_dlq")
        let worker = try fixture.spawnCanaryWorker()
        let dependency = missingFile()
        defer { try? FileManager.default.removeItem(atPath: dependency) }
        let job = try await fixture.enqueueCanary(.init(echo: "replayed", requireFile: dependency))
        let id = try await deadLetterID(fixture, job: job)
        #expect(try await fixture.jobState(job) == "dead")

        // list, with filters that match and one that does not.
        let list = try await fixture.admin(["dlq", "list", "--queue", fixture.queue.name, "--kind", "canary", "--error-class", "permanent",
                                            "--stage", "canary", "--since", "1h", "--unresolved", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let listed = try #require(try list.json() as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["id"] as? Int == Int(id))
        #expect(listed.first?["job_state"] as? String == "dead")
        let none = try await fixture.admin(["dlq", "list", "--until", "2000-01-01", "--json"])
        #expect((try none.json() as? [Any])?.isEmpty == true)
        let table = try await fixture.admin(["dlq", "list"])
        #expect(table.stdout.contains("canary requires"))

        // show: body, headers, every attempt's error.
        let show = try await fixture.admin(["dlq", "show", "\(id)"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("x-itp-reason"))
        #expect(show.stdout.contains("\"require_file\""))
        #expect(show.stdout.contains("#1"))
        #expect(show.stdout.contains("[permanent at canary]: canary requires \(dependency)"))
        let shown = try #require(try await fixture.admin(["dlq", "show", "\(id)", "--json"]).json() as? [String: Any])
        #expect((shown["attempts"] as? [Any])?.count == 1)
        #expect((shown["headers"] as? [String: Any])?["x-itp-job-id"] as? String == job.uuidString.lowercased())

        // A dry run changes nothing; an unconfirmed replay neither.
        let dry = try await fixture.admin(["dlq", "replay", "\(id)", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("1 would be replayed"))
        let declined = try await fixture.admin(["dlq", "replay", "\(id)"], stdin: "n\n")
        #expect(declined.status == 1)
        #expect(declined.stderr.contains("not confirmed"))
        #expect(try await fixture.jobState(job) == "dead")

        // Fix the dependency, replay: it runs again and succeeds.
        _ = FileManager.default.createFile(atPath: dependency, contents: Data())
        let replay = try await fixture.admin(["dlq", "replay", "\(id)", "--yes", "--json"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let items = try #require(try replay.json() as? [[String: Any]])
        #expect(items.first?["result"] as? String == "replayed")
        #expect(items.first?["published"] as? Bool == true)
        try await waitUntil("the replayed job to succeed") { try await fixture.jobState(job) == "succeeded" }
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = \(job)") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(job)") == 2)
        #expect(try await fixture.count("SELECT replay_count FROM dead_letters WHERE id = \(id)") == 1)

        // Replaying again is refused: the job already succeeded and is not run twice.
        let outboxBefore = try await fixture.count("SELECT count(*) FROM outbox WHERE job_id = \(job)")
        let again = try await fixture.admin(["dlq", "replay", "\(id)", "--yes"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("already succeeded"))
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE job_id = \(job)") == outboxBefore)
        #expect(try await fixture.jobState(job) == "succeeded")
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = \(job)") == 1)
        // …and a filtered replay does not select it at all any more.
        let filtered = try await fixture.admin(["dlq", "replay", "--queue", fixture.queue.name, "--dry-run"])
        #expect(filtered.stdout.contains("0 dead letter(s) selected"), "\(filtered.stdout)")

        _ = worker
        await fixture.tearDown()
    }

    @Test func filteredReplayIsRateLimitedAndPurgeAsksFirst() async throws {
        let fixture = try await AdminFixture.make("admin_dlq_all")
        let worker = try fixture.spawnCanaryWorker()
        let dependency = missingFile()
        defer { try? FileManager.default.removeItem(atPath: dependency) }
        var jobs: [UUID] = []
        for index in 0..<3 { jobs.append(try await fixture.enqueueCanary(.init(echo: "\(index)", requireFile: dependency))) }
        for job in jobs { _ = try await deadLetterID(fixture, job: job) }

        _ = FileManager.default.createFile(atPath: dependency, contents: Data())
        let replay = try await fixture.admin(["dlq", "replay", "--kind", "canary", "--rate", "20", "--yes"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("3 would be replayed"))
        #expect(replay.stdout.components(separatedBy: ": replayed").count == 4, "\(replay.stdout)")
        for job in jobs { try await waitUntil("job \(job) to succeed") { try await fixture.jobState(job) == "succeeded" } }

        let declined = try await fixture.admin(["dlq", "purge", "--queue", fixture.queue.name], stdin: "")
        #expect(declined.status == 1)
        #expect(declined.stdout.contains("3 dead letter(s) match"))
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters") == 3)
        let confirmed = try await fixture.admin(["dlq", "purge", "--queue", fixture.queue.name], stdin: "y\n")
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        #expect(confirmed.stdout.contains("purged 3"))
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters") == 0)
        // The jobs keep their history.
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE outcome = 'failed'") == 3)
        let usage = try await fixture.admin(["dlq", "purge"])
        #expect(usage.status == 64)

        _ = worker
        await fixture.tearDown()
    }

    @Test func jobsRetryAndCancel() async throws {
        let fixture = try await AdminFixture.make("admin_jobs")
        let worker = try fixture.spawnCanaryWorker()
        let dependency = missingFile()
        defer { try? FileManager.default.removeItem(atPath: dependency) }
        let job = try await fixture.enqueueCanary(.init(requireFile: dependency))
        _ = try await deadLetterID(fixture, job: job)
        _ = FileManager.default.createFile(atPath: dependency, contents: Data())
        let retry = try await fixture.admin(["jobs", "retry", job.uuidString, "--yes"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("replayed"))
        try await waitUntil("the retried job to succeed") { try await fixture.jobState(job) == "succeeded" }
        let again = try await fixture.admin(["jobs", "retry", job.uuidString, "--yes"])
        #expect(again.stdout.contains("already succeeded"))

        // A job row without its message stays queued: cancel it, then cancelling again is refused.
        let request = JobRequest(kind: CanaryHandler.kind, queue: fixture.queue, payload: Data("{}".utf8))
        try await fixture.sql { try request.insertJobRow(on: $0) }
        let queued = request.id
        let cancel = try await fixture.admin(["jobs", "cancel", queued.uuidString])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout.contains("cancelled (was queued)"))
        #expect(try await fixture.jobState(queued) == "cancelled")
        let twice = try await fixture.admin(["jobs", "cancel", queued.uuidString])
        #expect(twice.status == 1)
        #expect(twice.stdout.contains("cancelled already"))
        // A cancelled job is not replayed.
        let refused = try await fixture.admin(["jobs", "retry", queued.uuidString, "--yes"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("cancelled on purpose"))

        _ = worker
        await fixture.tearDown()
    }
}
