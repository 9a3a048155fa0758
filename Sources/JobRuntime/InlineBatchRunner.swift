import Logging
import Postgres
import Vocabulary

/// Runs a batch of one-transaction jobs (``WorkerService``'s ``BatchCombiner`` hands it the
/// jobs that arrived while earlier ones were committing): all in one transaction
/// (``JobStore/claimAndCompleteBatch(_:worker:inline:on:)``) when they can go together,
/// otherwise each in its own, so that one job's failure or regular-path wish is handled
/// exactly as if it had come alone and never holds back or fails the others.
struct InlineBatchRunner: Sendable {
    typealias Answer = Result<JobStore.InlineResult?, any Error>

    let handler: any InlineJobHandler
    let worker: String
    let database: PostgresClient
    let logger: Logger

    /// One answer per request, in order: the job's result, nil when the task was cancelled
    /// while the database was away (the message is then redelivered), or the error.
    func run(_ requests: [JobStore.InlineRequest]) async -> [Answer] {
        if requests.count > 1 {
            let handler = self.handler
            let worker = self.worker
            do {
                let together = try await withDatabaseRetry(database, logger: logger) { connection in
                    try JobStore.claimAndCompleteBatch(
                        requests, worker: worker, inline: { job in try handler.inlineCompletion(for: job) }, on: connection)
                }
                switch together {
                case nil:
                    return requests.map { _ in .success(nil) }
                case .some(let results?):
                    return results.map { .success($0) }
                case .some(nil):
                    logger.debug("a batch of one-transaction jobs cannot go together; running each on its own", metadata: [
                        LogKey.batchSize: "\(requests.count)",
                    ])
                }
            } catch {
                logger.notice("a batch of one-transaction jobs failed; running each on its own", metadata: [
                    LogKey.batchSize: "\(requests.count)", LogKey.error: .error(error),
                ])
            }
        }
        var answers: [Answer] = []
        for request in requests { answers.append(await runAlone(request)) }
        return answers
    }

    private func runAlone(_ request: JobStore.InlineRequest) async -> Answer {
        let handler = self.handler
        let worker = self.worker
        do {
            return .success(try await withDatabaseRetry(database, logger: logger) { connection in
                try JobStore.claimAndComplete(
                    request.envelope, worker: worker, redelivered: request.redelivered, attemptLimit: request.attemptLimit,
                    inline: { job in try handler.inlineCompletion(for: job) }, on: connection)
            })
        } catch {
            return .failure(error)
        }
    }
}
