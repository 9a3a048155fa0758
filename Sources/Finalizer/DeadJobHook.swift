import Foundation
public import JobRuntime
public import Logging
import Postgres
import ProductFlow

/// Runs inside the transaction that records a dead letter: a dead design or mockup job can
/// decide its product's fate, so the product is re-evaluated right there (a failed design
/// fails the product and refunds; a dead mr_imagine job lets it go ready with the fallback).
public enum DeadJobHook {
    /// The finalizer's hook, logging with the daemon's `logger`. A dead mockup job first
    /// leaves a failed, inactive asset row (``MockupFailureRecorder``, the gallery's
    /// fallback), then its product is re-evaluated.
    public static func make(logger: Logger) -> DeadLetterRecorder.Hook {
        let mockupFailures = MockupFailureRecorder(logger: logger)
        return { record, connection in
            try mockupFailures.hook(record, connection)
            guard let jobID = record.jobID else { return }
            let rows = try connection.query("SELECT product_id FROM jobs WHERE id = \(jobID)")
            guard let productID = try rows.first?.decode(UUID?.self, column: "product_id") else { return }
            try ProductSettlement.evaluate(productID, on: connection)
        }
    }
}
