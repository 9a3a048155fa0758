public import DesignProviders
import Foundation
public import JobRuntime
public import Logging
public import Postgres
import ProductFlow
public import Storage

/// Runs `design.generate` jobs (DESIGN.md §1 step 2): N candidates from the image
/// provider, each stored as `original`, `dtf` and `background_removed`, then — in the
/// job's success transaction — the inactive, pending-selection asset rows, the product's
/// move to `awaiting_selection` and the `design.generated` event.
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
    }

    public func perform(_ job: ClaimedJob) async throws -> JobCompletion {
        let payload = try job.decodePayload(DesignJobPayload.self)
        try validate(payload, job: job)
        var logger = self.logger
        logger[metadataKey: "itp.job.id"] = "\(job.id)"
        logger[metadataKey: "itp.product.id"] = "\(payload.productID)"
        logger[metadataKey: "itp.design.iteration"] = "\(payload.iteration)"

        if let reason = try await begin(payload) {
            logger.notice("design job superseded", metadata: ["itp.superseded.reason": "\(reason)"])
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
                let image = try await provider.generateClassified(request)
                costUnits += max(image.costUnits, 0)
                let configuration = self.configuration
                let variants = try await imageQueue.run { () throws(JobFailure) -> [EncodedVariant] in
                    try DesignRenderer.render(image.png, configuration: configuration)
                }
                for variant in variants {
                    stored.append(try await store(variant, candidate: candidate, payload: payload, job: job))
                }
            }
        } catch {
            // The provider billed these calls even though the attempt failed.
            await recordSpend(costUnits, job: job, logger: logger)
            throw error
        }
        logger.info("design candidates stored", metadata: [
            "itp.design.candidates": "\(payload.candidates)", "itp.job.cost_units": "\(costUnits)",
        ])
        let commit = DesignCommit(job: job.id, payload: payload, variants: stored, costUnits: costUnits)
        return .succeeded { connection in try commit.apply(on: connection) }
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
