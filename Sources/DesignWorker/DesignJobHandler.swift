public import DesignProviders
import Foundation
public import JobRuntime
public import Logging
public import Postgres
import ProductFlow
public import Storage
import Vocabulary

/// Runs `design.generate` jobs (DESIGN.md §1 step 2): N candidates from the image
/// provider, each stored as `original`, `dtf` and `background_removed`, then — in the
/// job's success transaction — the inactive, pending-selection asset rows and the product's
/// move to `awaiting_selection`.
///
/// Idempotent under redelivery: blob keys are deterministic per job, candidate and
/// variant (a rerun overwrites), and asset rows are unique on the same triple.
public struct DesignJobHandler: JobHandler {
    public let kinds: Set<String> = [JobKinds.designGenerate]

    let provider: any ImageProvider
    let storage: any AssetStorage
    let database: PostgresClient
    let configuration: DesignWorkerConfiguration
    let logger: Logger
    private let imageQueue = ImageWorkQueue()
    /// The provider's images kept for this job's retries (nil: none kept).
    let spool: ProviderSpool?

    /// - Parameters:
    ///   - provider: in production a ``MeasuredProvider`` (``ProviderFactory``), which logs
    ///     and counts every call.
    ///   - database: the worker's pool, for the short pre-work transaction, the reference
    ///     lookup and recording spend of failed attempts.
    public init(provider: any ImageProvider, storage: any AssetStorage, database: PostgresClient,
                configuration: DesignWorkerConfiguration = DesignWorkerConfiguration(), logger: Logger) {
        self.provider = provider
        self.storage = storage
        self.database = database
        self.configuration = configuration
        self.logger = logger
        self.spool = configuration.spoolDirectory.map(ProviderSpool.init(directory:))
    }

    public func perform(_ job: ClaimedJob) async throws -> JobCompletion {
        let payload = try job.decodePayload(DesignJobPayload.self)
        try validate(payload, job: job)
        var logger = self.logger
        logger[metadataKey: LogKey.jobID] = "\(job.id)"
        logger[metadataKey: LogKey.productID] = "\(payload.productID)"
        logger[metadataKey: LogKey.designIteration] = "\(payload.iteration)"

        if let reason = try await begin(payload) {
            logger.notice("design job superseded", metadata: [LogKey.supersededReason: "\(reason)"])
            return .superseded(reason)
        }
        let reference = try await referencePNG(payload)

        var stored: [StoredVariant] = []
        var costUnits = 0
        do {
            for candidate in 0..<payload.candidates {
                // A hard shutdown (the grace is over) stops between candidates; the message
                // is not acked and another worker runs the job again.
                try Task.checkCancellation()
                let request = ImageRequest(
                    prompt: payload.prompt, candidateIndex: candidate, seed: payload.seed, size: configuration.imageSize,
                    feedback: payload.feedback, referencePNG: reference)
                let image = try await generate(request, job: job, logger: logger)
                costUnits += max(image.costUnits, 0)
                let configuration = self.configuration
                let variants = try await imageQueue.run { () throws(JobFailure) -> [EncodedVariant] in
                    try DesignRenderer.render(image.png, configuration: configuration, placement: payload.placement)
                }
                // Under the claim: a later attempt of this job never finds its committed
                // blobs overwritten by this one (``ClaimedJob/whileClaimHeld(in:_:)``).
                stored += try await job.whileClaimHeld(in: database) {
                    var candidateVariants: [StoredVariant] = []
                    for variant in variants {
                        candidateVariants.append(try await store(variant, candidate: candidate, payload: payload, job: job))
                    }
                    return candidateVariants
                }
            }
        } catch {
            // The provider billed these calls even though the attempt failed.
            await recordSpend(costUnits, job: job, logger: logger)
            if Self.isLastAttempt(job, failing: error) { await spool?.discard(job: job.id) }
            throw error
        }
        logger.info("design candidates stored", metadata: [
            LogKey.designCandidates: "\(payload.candidates)", LogKey.jobCostUnits: "\(costUnits)",
        ])
        let commit = DesignCommit(
            job: job.id, payload: payload, variants: stored, costUnits: costUnits, provider: provider.name, model: provider.model)
        let spool = self.spool, jobID = job.id
        return .succeeded { connection in
            try commit.apply(on: connection)
            // Applied: the job will not call the provider again (a failing commit after
            // this is retried and pays again, as every attempt did before the spool).
            spool?.discardNow(job: jobID)
        }
    }

    /// The provider's image for `request`: the one an earlier attempt of this job kept in
    /// the spool (already billed, and counted in that attempt's spend: cost 0 now), else a
    /// provider call whose answer is kept for the job's retries.
    private func generate(_ request: ImageRequest, job: ClaimedJob, logger: Logger) async throws -> GeneratedImage {
        if let spool, let kept = await spool.load(job: job.id, candidate: request.candidateIndex) {
            logger.info("provider image reused from the spool", metadata: [LogKey.designCandidate: "\(request.candidateIndex)"])
            return GeneratedImage(png: kept, costUnits: 0)
        }
        let image = try await provider.generateClassified(request)
        if let spool {
            do {
                try await spool.save(image.png, job: job.id, candidate: request.candidateIndex)
            } catch {
                logger.warning("the provider's image could not be kept for retries", metadata: [
                    LogKey.designCandidate: "\(request.candidateIndex)", LogKey.error: .error(error),
                ])
            }
        }
        return image
    }

    /// Whether this failure ends the job (the runtime dead-letters it): permanent, or
    /// transient on its last attempt. `job.maxAttempts` is this worker's own limit (the
    /// claim writes it). Rate-limited waits do not burn an attempt: the job runs again.
    static func isLastAttempt(_ job: ClaimedJob, failing error: any Error) -> Bool {
        guard !(error is CancellationError) else { return false }
        let failure = JobFailure.classify(error)
        switch failure.errorClass {
        case .permanent: return true
        case .transient: return job.attempt >= job.maxAttempts
        case .rateLimited: return false
        }
    }

    /// Refuses what no retry can fix, before any paid call.
    private func validate(_ payload: DesignJobPayload, job: ClaimedJob) throws(JobFailure) {
        func refuse(_ message: String) -> JobFailure { JobFailure(.permanent, message, stage: "validate_payload") }
        if let productID = job.productID, productID != payload.productID {
            throw refuse("the payload's product \(payload.productID) is not the job's product \(productID)")
        }
        guard (1...configuration.maxCandidates).contains(payload.candidates) else {
            throw refuse("the job asks for \(payload.candidates) candidates; this worker makes 1 to \(configuration.maxCandidates) (ITP_DESIGN_CANDIDATES_MAX)")
        }
        guard payload.iteration >= 1 else { throw refuse("iteration \(payload.iteration) is not positive") }
        let prompt = payload.prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !prompt.isEmpty, payload.prompt.count <= configuration.maxPromptLength else {
            throw refuse("the prompt must have 1 to \(configuration.maxPromptLength) characters, it has \(payload.prompt.count)")
        }
        if let placement = payload.placement,
           !([placement.widthMM, placement.heightMM].allSatisfy { $0.isFinite && $0 >= 1 && $0 <= 600 }) {
            throw refuse("the placement's box must be 1 to 600 mm wide and high, it is \(placement.widthMM)×\(placement.heightMM) mm")
        }
        if let feedback = payload.feedback, feedback.count > configuration.maxFeedbackLength {
            throw refuse("the feedback must have at most \(configuration.maxFeedbackLength) characters, it has \(feedback.count)")
        }
    }

    private func store(_ variant: EncodedVariant, candidate: Int, payload: DesignJobPayload, job: ClaimedJob) async throws -> StoredVariant {
        do {
            let key = try DesignStorageKey.make(
                product: payload.productID, iteration: payload.iteration, job: job.id, candidate: candidate, variant: variant.variant)
            try await storage.put(key, bytes: variant.png, contentType: "image/png")
            return StoredVariant(candidate: candidate, encoded: variant, key: key)
        } catch let cancelled as CancellationError {
            throw cancelled
        } catch {
            throw JobFailure.storage(error, stage: "store_blob")
        }
    }
}
