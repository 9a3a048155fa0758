import Foundation
import JobRuntime
import Postgres
import ProductFlow

/// What a successful design job writes, inside the transaction that marks it succeeded:
/// the asset rows (inactive, pending selection), the product's move to
/// `awaiting_selection`, and the provider spend on the job row. No event for the finalizer:
/// the product's next step was decided here, in this transaction (a `design.generated`
/// event always found nothing to do). Applied at most once per job (the runtime guards the
/// success by state and attempt; the rows are unique per job, candidate and variant).
struct DesignCommit: Sendable {
    var job: UUID
    var payload: DesignJobPayload
    var variants: [StoredVariant]
    var costUnits: Int
    /// The provider's name and model, recorded on every variant (provenance).
    var provider: String
    var model: String

    func apply(on connection: PostgresConnection) throws {
        for stored in variants {
            var asset = NewAsset(
                productID: payload.productID, role: "design", jobID: job, storageKey: stored.key.rawValue,
                width: stored.width, height: stored.height, byteSize: stored.byteSize, sha256: stored.sha256)
            asset.variant = stored.variant.rawValue
            asset.iteration = payload.iteration
            asset.candidateIndex = stored.candidate
            asset.isActive = false
            asset.provider = provider
            asset.model = model
            asset.pendingSelection = true
            asset.effectiveDPI = stored.effectiveDPI
            asset.printQuality = stored.effectiveDPI.flatMap { $0 < DesignRenderer.minimumEffectiveDPI ? "low_resolution" : nil }
            try asset.insert(on: connection)
        }
        try JobTransition.addSpend(costUnits, to: job, on: connection)
        // Refused when cancelled (or failed) while the designs were made: the rows stay,
        // inactive, so the blobs remain findable for cleanup.
        try ProductTransition.move(payload.productID, to: .awaitingSelection, on: connection)
    }
}
