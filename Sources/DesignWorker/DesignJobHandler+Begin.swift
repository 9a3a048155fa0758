import Foundation
import JobRuntime
import Logging
import Postgres
import ProductFlow
import Storage
import Vocabulary

extension DesignJobHandler {
    /// The short transaction before any paid work: the product moves to
    /// `generating_designs` (from `draft`, or from `awaiting_selection` for a regenerate
    /// iteration). Returns why the job is stale instead — the product was cancelled or
    /// failed, already has a selection, or has moved on to a newer iteration — so the
    /// runtime marks it superseded and no provider is called.
    func begin(_ payload: DesignJobPayload) async throws -> String? {
        try await database.withTransaction { connection in
            let rows = try connection.query("SELECT iteration FROM products WHERE id = \(payload.productID) FOR UPDATE")
            guard let row = rows.first else {
                throw JobFailure(.permanent, "product \(payload.productID) does not exist", stage: "start")
            }
            let current = try row.decode(Int.self, at: 0)
            if payload.iteration < current {
                return "iteration \(payload.iteration) is older than the product's current iteration \(current)"
            }
            switch try ProductTransition.move(payload.productID, to: .generatingDesigns, on: connection) {
            case .changed, .unchanged:
                return nil
            case .refused(let status):
                return "the product is \(status.rawValue); designs are generated only from draft or awaiting_selection"
            case .noSuchProduct:
                throw JobFailure(.permanent, "product \(payload.productID) does not exist", stage: "start")
            }
        }
    }

    /// Regenerate-with-feedback: the PNG of the reference design, sent to the provider.
    /// The `original` variant of the referenced candidate is preferred over the asset
    /// itself (a 3600×4800 print file is a poor, large reference).
    func referencePNG(_ payload: DesignJobPayload) async throws -> [UInt8]? {
        guard let referenceID = payload.referenceAssetID else { return nil }
        let key: String? = try await database.withConnection { connection in
            try connection.query("""
                SELECT COALESCE(
                    (SELECT o.storage_key FROM product_assets o
                      WHERE o.job_id = r.job_id AND o.candidate_index = r.candidate_index AND o.variant = 'original'),
                    r.storage_key)
                FROM product_assets r
                WHERE r.id = \(referenceID) AND r.product_id = \(payload.productID) AND r.asset_role = 'design'
                """).first?.decode(String?.self, at: 0)
        }
        guard let key else {
            throw JobFailure(.permanent, "reference asset \(referenceID) is not a stored design of product \(payload.productID)", stage: "load_reference")
        }
        do {
            return try await storage.get(try StorageKey(key))
        } catch {
            throw JobFailure.storage(error, stage: "load_reference")
        }
    }

    /// Adds a failed attempt's provider spend to the job row (best effort, outside the
    /// runtime's failure transaction: losing this line loses accounting, never work).
    /// Guarded by the attempt, so a stale attempt cannot write.
    func recordSpend(_ costUnits: Int, job: ClaimedJob, logger: Logger) async {
        guard costUnits > 0 else { return }
        do {
            try await database.withConnection { connection in
                try connection.execute("""
                    UPDATE jobs SET cost_units = cost_units + \(costUnits)
                    WHERE id = \(job.id) AND state = 'running' AND attempts = \(job.attempt)
                    """)
            }
        } catch {
            logger.warning("recording the failed attempt's provider spend failed", metadata: [
                LogKey.jobCostUnits: "\(costUnits)", LogKey.error: .error(error),
            ])
        }
    }
}
