import Foundation
public import JobRuntime
public import Logging
public import Postgres
import ProductFlow
import Vocabulary

/// Records a mockup job that died (DESIGN.md §1 step 5, §3): a failed, inactive asset row
/// of the mockup's role for the job's selection (`generation_status` failed, `error_status`
/// and `error_message`) — so a product whose mr_imagine mockup cannot be made can still be
/// promoted with the declared fallback.
///
/// The finalizer runs it from its dead-job hook (``DeadJobHook``), in the transaction that
/// records the dead letter (so both commit or neither); the hook then settles the product in
/// that same transaction, so no `mockup.failed` event is sent (the finalizer would find the
/// decision already taken). Dead letters of other job kinds,
/// and of mockup jobs whose selection is no longer current, are left alone: their
/// failure concerns nothing the gallery can show. A dead mockup job of a library sync ends
/// that sync instead (``LibrarySyncSwap/abandon(_:reason:on:)``): the gallery keeps its images.
public struct MockupFailureRecorder: Sendable {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The hook to pass to ``DeadLetterRecorder`` (compose it with other hooks as needed).
    public var hook: DeadLetterRecorder.Hook {
        { record, connection in _ = try self.record(record, on: connection) }
    }

    /// Records `record` if it is a dead mockup job of the current selection. Returns
    /// whether a failure was recorded. Idempotent per job: a job that dies again after a
    /// replay updates its failed row instead of adding one.
    @discardableResult
    public func record(_ record: DeadLetterRecord, on connection: PostgresConnection) throws -> Bool {
        guard let jobID = record.jobID else { return false }
        // The job row, not the message headers, is the authority on what the job was.
        guard let row = try connection.query("""
            SELECT kind, payload::text AS payload, error_class::text AS error_class, failure_stage FROM jobs WHERE id = \(jobID)
            """).first else { return false }
        guard let assetRole = JobKinds.mockupAssetRole(of: try row.decode(String.self, column: "kind")) else { return false }
        var logger = self.logger
        logger[metadataKey: LogKey.jobID] = "\(jobID)"
        let payload: MockupJobPayload
        do {
            payload = try PostgresJSON(text: try row.decode(String.self, column: "payload")).decode(MockupJobPayload.self)
        } catch {
            logger.warning("dead mockup job has an unreadable payload; no failed asset recorded", metadata: [LogKey.error: .error(error)])
            return false
        }
        logger[metadataKey: LogKey.productID] = "\(payload.productID)"
        switch try SelectionCheck.status(of: payload, lock: true, on: connection) {
        case .current(_, staged: false):
            break
        case .current(_, staged: true):
            // A library sync's mockup: the product stays on its version and images.
            let reason = "the \(assetRole) mockup of the new version failed: \(record.reason)"
            try LibrarySyncSwap.abandon(payload.productID, stagedDesign: payload.designAssetID, reason: reason, on: connection)
            logger.notice("library sync abandoned: a mockup of the new version died", metadata: [LogKey.assetRole: "\(assetRole)"])
            return false
        case .stale, .noProduct:
            logger.info("dead mockup job was for a stale selection; no failed asset recorded")
            return false
        }
        let status = Self.errorStatus(record, jobErrorClass: try row.decode(String?.self, column: "error_class"))
        let stage = try record.failureStage ?? row.decode(String?.self, column: "failure_stage") ?? "unknown"
        let message = String("\(record.reason) (stage \(stage))".prefix(2000))
        let recorded = try connection.query("""
            INSERT INTO product_assets (product_id, asset_role, job_id, generation_status, error_status, error_message,
                                        is_active, source_asset_id, selection_version)
            VALUES (\(payload.productID), \(assetRole)::asset_role, \(jobID), 'failed', \(status), \(message),
                    false, \(payload.designAssetID), \(payload.selectionVersion))
            ON CONFLICT (job_id, candidate_index, variant) WHERE job_id IS NOT NULL
            DO UPDATE SET error_status = EXCLUDED.error_status, error_message = EXCLUDED.error_message, updated_at = now()
               WHERE product_assets.generation_status = 'failed'
            RETURNING id
            """)
        // An existing succeeded row of this job: it did not die after all (a stale dead letter).
        guard !recorded.isEmpty else { return false }
        logger.notice("mockup failure recorded", metadata: [LogKey.assetRole: "\(assetRole)", LogKey.errorStatus: "\(status)"])
        return true
    }

    /// `poison` for a message the broker gave up on (it crashed every worker), else the
    /// error class that killed it (`permanent`, `transient` after its retries, `rate_limited`).
    static func errorStatus(_ record: DeadLetterRecord, jobErrorClass: String?) -> String {
        if record.failureStage == "broker_delivery_limit" { return "poison" }
        return record.errorClass?.rawValue ?? jobErrorClass ?? "unknown"
    }
}
