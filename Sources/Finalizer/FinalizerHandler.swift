import Foundation
public import JobRuntime
import ProductFlow

/// Handles `finalizer.event` jobs: whatever the event says, the product is re-evaluated
/// from the database. The settlement is short database-only work: it runs in the
/// transaction that claims the event (one commit per event).
public struct FinalizerHandler: InlineJobHandler {
    public let kinds: Set<String> = [FleetEvent.jobKind]

    public init() {}

    public func perform(_ job: ClaimedJob) async throws -> JobCompletion {
        try settlement(job)
    }

    public func inlineCompletion(for job: ClaimedJob) throws -> JobCompletion? {
        try settlement(job)
    }

    private func settlement(_ job: ClaimedJob) throws -> JobCompletion {
        let event = try job.decodePayload(FleetEvent.self)
        return .succeeded { connection in
            try ProductSettlement.evaluate(event.productID, on: connection)
        }
    }
}
