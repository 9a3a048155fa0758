public import AMQP
import Foundation
public import Logging
public import Postgres
public import ServiceLifecycle
import Synchronization
import Vocabulary

/// Consumes one work queue and runs its jobs (DESIGN.md §3):
///
/// - at most `prefetch` jobs in flight (the broker hands out no more unacked deliveries);
/// - each job is claimed in Postgres before work; a job already terminal is acked unrun;
/// - results, success and follow-up outbox rows commit in one transaction, then the ack;
/// - failures are classified: retried through a delay queue, or dead-lettered, each as
///   one transaction that also writes the outbox row, then the ack;
/// - malformed messages are dead-lettered at once with their reason;
/// - on graceful shutdown it cancels the consumer, finishes in-flight jobs and acks them.
public final class WorkerService: Service, Sendable {
    public struct Configuration: Sendable {
        public var queue: Topology.WorkQueue
        public var prefetch: UInt16 = 1
        /// Identifies this worker in job rows (`host/pid`).
        public var workerID: String = "\(ProcessInfo.processInfo.hostName)/\(getpid())"
        /// Per-kind retry policies; `defaultRetryPolicy` for the rest.
        public var retryPolicies: [String: RetryPolicy] = [:]
        public var defaultRetryPolicy = RetryPolicy()
        /// Short database-only jobs (an ``InlineJobHandler``'s) that arrive while others are
        /// being committed share one transaction, up to this many. 1 commits each on its own,
        /// as many at once as are in flight.
        public var inlineBatchLimit = 32
        /// Shared transactions under way at once (each holds a database connection).
        public var inlineBatchRunners = 2

        public init(queue: Topology.WorkQueue) {
            self.queue = queue
        }
    }

    private let configuration: Configuration
    private let handler: any JobHandler
    private let database: PostgresClient
    private let broker: AMQPConnection
    private let logger: Logger
    private let inFlight = Atomic<Int>(0)
    private let consuming = Atomic<Bool>(false)
    /// Runs one-transaction jobs; nil for a handler without that path.
    private let inlineRunner: InlineBatchRunner?
    /// Groups concurrent one-transaction jobs into shared transactions; nil when each commits alone.
    private let inlineBatches: BatchCombiner<JobStore.InlineRequest, InlineBatchRunner.Answer>?

    public init(configuration: Configuration, handler: any JobHandler, database: PostgresClient, broker: AMQPConnection, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.database = database
        self.broker = broker
        self.logger = logger
        let inlineRunner = (handler as? any InlineJobHandler).map {
            InlineBatchRunner(handler: $0, worker: configuration.workerID, database: database, logger: logger)
        }
        self.inlineRunner = inlineRunner
        if let inlineRunner, configuration.inlineBatchLimit > 1 {
            inlineBatches = BatchCombiner(
                limit: configuration.inlineBatchLimit, runners: max(1, configuration.inlineBatchRunners),
                run: { requests in await inlineRunner.run(requests) })
        } else {
            inlineBatches = nil
        }
    }

    /// Jobs currently being processed.
    public var jobsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// True while the consume loop runs and its broker connection's I/O loop is alive: the
    /// watchdog is fed only while this holds.
    public var isAlive: Bool { consuming.load(ordering: .relaxed) && broker.isLoopHealthy() }

    public func run() async throws {
        var delay = Duration.milliseconds(200)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await consumeUntilShutdown()
                return
            } catch {
                // The broker is unreachable at start: wait, the AMQP client reconnects.
                logger.warning("cannot start consuming; retrying", metadata: [LogKey.amqpQueue: "\(configuration.queue.name)", LogKey.error: .error(error)])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    private func consumeUntilShutdown() async throws {
        let consumer = try await broker.consume(queue: configuration.queue.name, prefetch: configuration.prefetch)
        consuming.store(true, ordering: .relaxed)
        defer { consuming.store(false, ordering: .relaxed) }
        logger.info("consuming", metadata: [LogKey.amqpQueue: "\(configuration.queue.name)", LogKey.amqpPrefetch: "\(configuration.prefetch)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let queue = configuration.queue.name
                for await delivery in consumer.deliveries {
                    RuntimeMetrics.inFlight(queue: queue, inFlight.add(1, ordering: .relaxed).newValue)
                    group.addTask {
                        defer { RuntimeMetrics.inFlight(queue: queue, self.inFlight.subtract(1, ordering: .relaxed).newValue) }
                        await self.process(delivery)
                    }
                }
            }
        } onGracefulShutdown: {
            // Stop taking deliveries; the stream ends and in-flight jobs finish and ack.
            Task { try? await consumer.cancel() }
        }
        logger.info("stopped consuming", metadata: [LogKey.amqpQueue: "\(configuration.queue.name)"])
    }

    func process(_ delivery: AMQPDelivery) async {
        var logger = self.logger
        logger[metadataKey: LogKey.amqpQueue] = "\(configuration.queue.name)"
        let envelope: JobEnvelope
        do {
            envelope = try JobEnvelope.decode(delivery.body, kinds: handler.kinds)
        } catch {
            await deadLetterUnclaimed(delivery, reason: error.reason, logger: logger)
            return
        }
        logger[metadataKey: LogKey.jobID] = "\(envelope.jobID)"
        logger[metadataKey: LogKey.jobKind] = "\(envelope.kind)"

        let claim: JobStore.ClaimResult?
        do {
            claim = try await claimOrComplete(envelope, delivery: delivery, logger: logger)
        } catch {
            // Not a connection failure: a fault of ours. Return the message; the broker's
            // delivery limit dead-letters it if this repeats.
            logger.error("claiming the job failed", metadata: [LogKey.error: .error(error)])
            try? await broker.nack(delivery, requeue: true)
            return
        }
        switch claim {
        case nil:
            return  // shutting down while the database was away: the message is redelivered
        case .unknown:
            await deadLetterUnclaimed(delivery, reason: "no job \(envelope.jobID) in this database", logger: logger)
        case .finished(let state):
            logger.debug("job already \(state.rawValue); acking without work")
            await ack(delivery, logger: logger)
        case .claimed(let job):
            logger[metadataKey: LogKey.jobAttempt] = "\(job.attempt)"
            await run(job, delivery: delivery, logger: logger)
        }
    }

    /// Claims the job. A short database-only job of an ``InlineJobHandler`` is claimed,
    /// applied and finished in one transaction here (shared with the other such jobs that
    /// arrived meanwhile, ``InlineBatchRunner``); then this acks it (or records its failure)
    /// and returns nil, as it does when shutting down while the database is away.
    private func claimOrComplete(_ envelope: JobEnvelope, delivery: AMQPDelivery, logger: Logger) async throws -> JobStore.ClaimResult? {
        let workerID = configuration.workerID
        // The limit `fail` will apply to this kind, recorded in the row by the claim.
        let attemptLimit = (configuration.retryPolicies[envelope.kind] ?? configuration.defaultRetryPolicy).maxAttempts
        guard let inlineRunner else {
            return try await withDatabaseRetry(database, logger: logger) { connection in
                try JobStore.claim(envelope, worker: workerID, redelivered: delivery.redelivered, attemptLimit: attemptLimit, on: connection)
            }
        }
        let started = ContinuousClock.now
        let request = JobStore.InlineRequest(envelope: envelope, redelivered: delivery.redelivered, attemptLimit: attemptLimit)
        let answer = if let inlineBatches { await inlineBatches.submit(request) } else { await inlineRunner.run([request])[0] }
        let result = try answer.get()
        switch result {
        case nil:
            return nil
        case .claim(let claim):
            return claim
        case .completed(let job, let outcome):
            RuntimeMetrics.attemptFinished(queue: job.queue, kind: job.kind, outcome: outcome, duration: .now - started)
            await FaultInjection.betweenCommitAndAck(job: job.id)
            await ack(delivery, logger: logger)
            return nil
        case .failed(let job, let failure):
            // Nothing of the attempt was committed: claim it durably, then record the failure
            // as that attempt's (retry or dead letter), as the regular path would.
            let claim = try await withDatabaseRetry(database, logger: logger) { connection in
                try JobStore.claim(envelope, worker: workerID, redelivered: delivery.redelivered, attemptLimit: attemptLimit, on: connection)
            }
            switch claim {
            case nil:
                return nil
            case .claimed(let claimed):
                var logger = logger
                logger[metadataKey: LogKey.jobAttempt] = "\(claimed.attempt)"
                await fail(claimed, failure: failure, delivery: delivery, started: started, logger: logger)
                return nil
            case .finished, .unknown:
                logger.debug("job \(job.id) changed while its inline completion failed; handling it as found")
                return claim
            }
        }
    }

    private func run(_ job: ClaimedJob, delivery: AMQPDelivery, logger: Logger) async {
        let started = ContinuousClock.now
        let completion: JobCompletion
        do {
            completion = try await handler.perform(job)
        } catch is CancellationError {
            return  // hard shutdown: not acked, redelivered to another worker
        } catch {
            await fail(job, failure: JobFailure.classify(error), delivery: delivery, started: started, logger: logger)
            return
        }
        do {
            let committed = try await withDatabaseRetry(database, logger: logger) { connection in
                try JobStore.complete(job, with: completion, on: connection)
            }
            guard let committed else { return }
            if !committed {
                let ownedElsewhere = try await withDatabaseRetry(database, logger: logger) { connection in
                    try JobStore.isOwnedElsewhere(job, on: connection)
                }
                guard ownedElsewhere == true else {
                    logger.warning("the job's claim was lost; returning the message for another attempt")
                    try? await broker.nack(delivery, requeue: true)
                    return
                }
                logger.notice("job was taken over by another delivery; dropping this attempt's result")
            } else {
                let outcome: JobState = completion.outcome == .succeeded ? .succeeded : .superseded
                RuntimeMetrics.attemptFinished(queue: job.queue, kind: job.kind, outcome: outcome, duration: .now - started)
            }
            await FaultInjection.betweenCommitAndAck(job: job.id)
            await ack(delivery, logger: logger)
        } catch {
            await fail(job, failure: JobFailure.classify(error).at(stage: "commit_results"), delivery: delivery, started: started, logger: logger)
        }
    }

    private func fail(_ job: ClaimedJob, failure: JobFailure, delivery: AMQPDelivery, started: ContinuousClock.Instant, logger: Logger) async {
        let policy = configuration.retryPolicies[job.kind] ?? configuration.defaultRetryPolicy
        let decision = policy.decide(
            failure.errorClass, attempts: job.failedAttempts, rateLimitedWaits: job.rateLimitedWaits + 1,
            retryAfter: failure.retryAfter, random: Double.random(in: 0..<1))
        let queue = configuration.queue
        do {
            let recorded: Bool?
            switch decision {
            case .retry(let delay, let countsAttempt):
                let (delayQueue, _) = Topology.delayQueue(for: queue, delay: delay)
                var message = OutboxMessage(
                    exchange: "", routingKey: delayQueue, body: delivery.body, headers: delivery.stringHeaders,
                    jobID: job.id, expiration: delay)
                message.headers["x-itp-retry-after-attempt"] = "\(job.attempt)"
                let retryMessage = message
                logger.info("attempt failed; retrying", metadata: [
                    LogKey.errorClass: "\(failure.errorClass.rawValue)", LogKey.failureStage: "\(failure.stage)",
                    LogKey.retryDelay: "\(delay)", LogKey.error: "\(failure.message)",
                ])
                recorded = try await withDatabaseRetry(database, logger: logger) { connection in
                    try JobStore.scheduleRetry(job, failure: failure, delay: delay, countsAttempt: countsAttempt, message: retryMessage, on: connection)
                }
            case .deadLetter(let reason):
                let message = deadLetterMessage(delivery, reason: "\(reason): \(failure.message)", failure: failure, jobID: job.id, attempts: job.attempt)
                logger.warning("job dead-lettered", metadata: [
                    LogKey.errorClass: "\(failure.errorClass.rawValue)", LogKey.failureStage: "\(failure.stage)", LogKey.error: "\(failure.message)",
                ])
                recorded = try await withDatabaseRetry(database, logger: logger) { connection in
                    try JobStore.deadLetter(job, failure: failure, message: message, on: connection)
                }
            }
            guard recorded != nil else { return }
            let outcome: JobState = if case .retry = decision { .retrying } else { .dead }
            RuntimeMetrics.attemptFinished(queue: queue.name, kind: job.kind, outcome: outcome, duration: .now - started)
            await ack(delivery, logger: logger)
        } catch {
            logger.error("recording the failure failed; returning the message", metadata: [LogKey.error: .error(error)])
            try? await broker.nack(delivery, requeue: true)
        }
    }

    private func deadLetterUnclaimed(_ delivery: AMQPDelivery, reason: String, logger: Logger) async {
        let failure = JobFailure(.permanent, reason, stage: "decode_message")
        let jobID = delivery.properties.correlationID.flatMap(UUID.init(uuidString:))
        let message = deadLetterMessage(delivery, reason: reason, failure: failure, jobID: jobID, attempts: 0)
        logger.warning("malformed message dead-lettered", metadata: [LogKey.deadReason: "\(reason)"])
        do {
            let recorded: Void? = try await withDatabaseRetry(database, logger: logger) { connection in
                try JobStore.deadLetterUnclaimed(jobID: jobID, reason: reason, message: message, on: connection)
            }
            guard recorded != nil else { return }
            await FaultInjection.betweenCommitAndAck(deadLetterOf: delivery.properties.messageID)
            await ack(delivery, logger: logger)
        } catch {
            logger.error("recording a malformed message failed; returning it", metadata: [LogKey.error: .error(error)])
            try? await broker.nack(delivery, requeue: true)
        }
    }

    /// The original message, bound for `<queue>.dead`, with the reason in headers.
    private func deadLetterMessage(_ delivery: AMQPDelivery, reason: String, failure: JobFailure, jobID: UUID?, attempts: Int) -> OutboxMessage {
        var headers = delivery.stringHeaders
        headers["x-itp-reason"] = String(reason.prefix(2000))
        headers["x-itp-error-class"] = failure.errorClass.rawValue
        headers["x-itp-failure-stage"] = failure.stage
        headers["x-itp-queue"] = configuration.queue.name
        headers["x-itp-attempts"] = "\(attempts)"
        headers["x-itp-original-message-id"] = delivery.properties.messageID ?? ""
        if let jobID { headers["x-itp-job-id"] = jobID.uuidString.lowercased() }
        return OutboxMessage(
            exchange: Topology.deadLetterExchange, routingKey: configuration.queue.name, body: delivery.body,
            contentType: delivery.properties.contentType ?? "application/octet-stream", headers: headers, jobID: jobID)
    }

    private func ack(_ delivery: AMQPDelivery, logger: Logger) async {
        do {
            try await broker.ack(delivery)
        } catch {
            // The effects are committed and idempotent: a redelivery finds the job terminal.
            logger.notice("ack failed; the message will be redelivered and acked without work", metadata: [LogKey.error: .error(error)])
        }
    }
}

extension JobFailure {
    func at(stage: String) -> JobFailure {
        var copy = self
        copy.stage = stage
        return copy
    }
}

extension AMQPDelivery {
    /// String-valued headers, for carrying a message on through the outbox.
    var stringHeaders: [String: String] {
        var headers: [String: String] = [:]
        for (key, value) in properties.headers.entries {
            if let string = value.stringValue { headers[key] = string }
        }
        return headers
    }
}
