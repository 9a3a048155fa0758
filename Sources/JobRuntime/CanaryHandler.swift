import Foundation
import Postgres

/// The `canary` job kind: the runtime's own probe, with no image work. Tests, benchmarks
/// and operators use it to exercise claim, commit, outbox, retry and dead-lettering.
///
/// Payload (all optional): `echo` (recorded), `sleep_ms` (work time), `transient_failures`
/// (fail transiently on attempts 1…n), `permanent` (fail permanently), `rate_limited_times`
/// with `retry_after_ms` (answer "rate limited" n times), `crash` (SIGKILL this process:
/// a poison message), `commit_failures` (the result commit fails transiently on attempts
/// 1…n, after writing the result row: the one-transaction path's rollback is exercised),
/// `require_file` (fail permanently while that path does not exist: a dependency an
/// operator fixes before replaying the dead job).
public struct CanaryHandler: InlineJobHandler {
    public static let kind = "canary"

    public struct Payload: Codable, Sendable {
        public var echo: String?
        public var sleepMilliseconds: Int?
        public var transientFailures: Int?
        public var permanent: Bool?
        public var rateLimitedTimes: Int?
        public var retryAfterMilliseconds: Int?
        public var crash: Bool?
        public var commitFailures: Int?
        public var requireFile: String?

        enum CodingKeys: String, CodingKey {
            case echo, permanent, crash
            case requireFile = "require_file"
            case sleepMilliseconds = "sleep_ms"
            case transientFailures = "transient_failures"
            case rateLimitedTimes = "rate_limited_times"
            case retryAfterMilliseconds = "retry_after_ms"
            case commitFailures = "commit_failures"
        }

        public init(echo: String? = nil, sleepMilliseconds: Int? = nil, transientFailures: Int? = nil, permanent: Bool? = nil,
                    rateLimitedTimes: Int? = nil, retryAfterMilliseconds: Int? = nil, crash: Bool? = nil, commitFailures: Int? = nil,
                    requireFile: String? = nil) {
            self.echo = echo
            self.sleepMilliseconds = sleepMilliseconds
            self.transientFailures = transientFailures
            self.permanent = permanent
            self.rateLimitedTimes = rateLimitedTimes
            self.retryAfterMilliseconds = retryAfterMilliseconds
            self.crash = crash
            self.commitFailures = commitFailures
            self.requireFile = requireFile
        }
    }

    public let kinds: Set<String> = [CanaryHandler.kind]
    private let workerID: String

    public init(workerID: String? = nil) {
        self.workerID = workerID ?? "\(ProcessInfo.processInfo.hostName)/\(getpid())"
    }

    public func perform(_ job: ClaimedJob) async throws -> JobCompletion {
        let payload = try job.decodePayload(Payload.self)
        if payload.crash == true {
            kill(getpid(), SIGKILL)
        }
        if let milliseconds = payload.sleepMilliseconds, milliseconds > 0 {
            try await Task.sleep(for: .milliseconds(milliseconds))
        }
        if let times = payload.rateLimitedTimes, job.rateLimitedWaits < times {
            throw JobFailure(.rateLimited, "canary asked to be rate limited", stage: "canary",
                             retryAfter: .milliseconds(payload.retryAfterMilliseconds ?? 1000))
        }
        if let failures = payload.transientFailures, job.attempt <= failures {
            throw JobFailure(.transient, "canary transient failure on attempt \(job.attempt)", stage: "canary")
        }
        if let path = payload.requireFile, !FileManager.default.fileExists(atPath: path) {
            throw JobFailure(.permanent, "canary requires \(path), which does not exist", stage: "canary")
        }
        if payload.permanent == true {
            throw JobFailure(.permanent, "canary asked to fail permanently", stage: "canary")
        }
        return success(job, payload)
    }

    /// A canary that asks for nothing but its result row is a short database-only job: it
    /// runs in the claim transaction. Any other (sleep, crash, failures) takes the regular path.
    public func inlineCompletion(for job: ClaimedJob) throws -> JobCompletion? {
        let payload = try job.decodePayload(Payload.self)
        let plain = payload.crash == nil && payload.sleepMilliseconds == nil && payload.transientFailures == nil
            && payload.permanent == nil && payload.rateLimitedTimes == nil && payload.requireFile == nil
        return plain ? success(job, payload) : nil
    }

    private func success(_ job: ClaimedJob, _ payload: Payload) -> JobCompletion {
        let workerID = self.workerID
        return .succeeded { connection in
            try connection.execute("""
                INSERT INTO canary_results (job_id, attempt, echo, worker) VALUES (\(job.id), \(job.attempt), \(payload.echo), \(workerID))
                """)
            if let failures = payload.commitFailures, job.attempt <= failures {
                throw JobFailure(.transient, "canary commit failure on attempt \(job.attempt)", stage: "canary_commit")
            }
        }
    }
}
