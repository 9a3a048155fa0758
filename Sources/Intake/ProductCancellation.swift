import Foundation
import JobRuntime
import Postgres
import ProductFlow

/// `POST /v1/products/{id}/cancel`: in one transaction, the product's pending jobs
/// (queued, retrying, running) become `cancelled` — a running job's late success is
/// refused by the runtime's state guard — every unsettled credit reservation is
/// refunded, and the product moves to `cancelled`. Cancelling a cancelled product
/// answers the same again; a failed product cannot be cancelled (409).
struct ProductCancellation: Sendable {
    struct Result: Encodable, Sendable {
        var id: UUID
        var status: ProductStatus
        var cancelledJobs: Int
        var refundedCredits: Int
        var links: ProductLinks

        private enum CodingKeys: String, CodingKey {
            case id, status, cancelledJobs = "cancelled_jobs", refundedCredits = "refunded_credits", links
        }
    }

    var caller: Caller
    var productID: UUID

    func run(on database: PostgresClient) async throws -> Result {
        try await database.withTransaction { connection in
            guard let product = try connection.query("""
                SELECT status::text FROM products WHERE id = \(productID) AND owner_id = \(caller.ownerID) FOR UPDATE
                """).first else { throw APIProblem.productNotFound }
            let status = try ProductStatusColumn.decode(product)
            guard status != .failed else { throw APIProblem.invalidState("the product has failed; there is nothing to cancel") }
            let cancelled = try JobTransition.cancelJobs(ofProduct: productID, on: connection)
            let refunded = try Credits.refund(product: productID, note: "product cancelled", on: connection).credits
            switch try ProductTransition.move(productID, to: .cancelled, on: connection) {
            case .changed, .unchanged:
                break
            case .refused(let current):
                throw APIProblem.invalidState("a \(current.rawValue) product cannot be cancelled")
            case .noSuchProduct:
                throw APIProblem.productNotFound
            }
            return Result(id: productID, status: .cancelled, cancelledJobs: cancelled, refundedCredits: refunded,
                          links: ProductLinks(productID))
        }
    }
}
