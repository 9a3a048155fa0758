import Foundation
public import JobRuntime
import Postgres
import ProductFlow

/// Runs inside the transaction that records a dead letter: a dead design or mockup job can
/// decide its product's fate, so the product is re-evaluated right there (a failed design
/// fails the product and refunds; a dead mr_imagine job lets it go ready with the fallback).
public enum DeadJobHook {
    public static func make(extra: DeadLetterRecorder.Hook? = nil) -> DeadLetterRecorder.Hook {
        { record, connection in
            try extra?(record, connection)
            guard let jobID = record.jobID else { return }
            let rows = try connection.query("SELECT product_id FROM jobs WHERE id = \(jobID)")
            guard let productID = try rows.first?.decode(UUID?.self, column: "product_id") else { return }
            try ProductSettlement.evaluate(productID, on: connection)
        }
    }
}
