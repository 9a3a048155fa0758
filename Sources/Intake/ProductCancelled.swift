import Foundation
import Postgres
import ProductFlow

/// `POST /v1/products/{id}/cancel`: the caller's product cancelled by
/// ``ProductFlow/ProductCancellation`` (the console cancels through the same code), answered as
/// JSON. Cancelling a cancelled product answers the same again; a failed product cannot be
/// cancelled (409).
struct ProductCancelled: Encodable, Sendable {
    var id: UUID
    var status: ProductStatus
    var cancelledJobs: Int
    var refundedCredits: Int
    var links: ProductLinks

    private enum CodingKeys: String, CodingKey {
        case id, status, cancelledJobs = "cancelled_jobs", refundedCredits = "refunded_credits", links
    }

    static func cancel(_ productID: UUID, caller: Caller, on database: PostgresClient) async throws -> ProductCancelled {
        try await database.withTransaction { connection in
            switch try ProductCancellation.cancel(productID, owner: caller.ownerID, on: connection) {
            case .cancelled(let jobs, let credits):
                return ProductCancelled(id: productID, status: .cancelled, cancelledJobs: jobs, refundedCredits: credits,
                                        links: ProductLinks(productID))
            case .notFound:
                throw APIProblem.productNotFound
            case .failed:
                throw APIProblem.invalidState("the product has failed; there is nothing to cancel")
            case .refused(let current):
                throw APIProblem.invalidState("a \(current.rawValue) product cannot be cancelled")
            }
        }
    }
}
