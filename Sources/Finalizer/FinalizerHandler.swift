import Foundation
public import JobRuntime
import ProductFlow

/// Handles `finalizer.event` jobs: whatever the event says, the product is re-evaluated
/// from the database in the job's success transaction.
public struct FinalizerHandler: JobHandler {
    public let kinds: Set<String> = [FleetEvent.jobKind]

    public init() {}

    public func perform(_ job: ClaimedJob) async throws -> JobCompletion {
        let event = try job.decodePayload(FleetEvent.self)
        return .succeeded { connection in
            try ProductSettlement.evaluate(event.productID, on: connection)
        }
    }
}
