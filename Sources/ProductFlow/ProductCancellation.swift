public import Foundation
import JobRuntime
public import Postgres

/// Cancelling a product, for the shop's `POST /v1/products/{id}/cancel` and the operator
/// console's product page alike: in the caller's transaction, the product's pending jobs
/// (queued, retrying, running) become `cancelled` — a running job's late success is refused by
/// the runtime's state guard — every unsettled credit reservation is refunded, and the product
/// moves to `cancelled` through ``ProductTransition``. Cancelling a cancelled product answers
/// the same again; a failed product cannot be cancelled.
public enum ProductCancellation {
    public enum Outcome: Sendable, Equatable {
        case cancelled(jobs: Int, refundedCredits: Int)
        /// No such product (or, with an owner, not that owner's): nothing was written.
        case notFound
        /// A failed product has nothing to cancel; nothing was written.
        case failed
        /// The product's status does not allow it; the jobs and credits were changed in the
        /// caller's transaction, which must roll back.
        case refused(current: ProductStatus)
    }

    /// Locks the product row (`owner`: only that owner's product), then cancels. Run it inside
    /// a transaction and roll back on anything but `.cancelled`.
    public static func cancel(_ productID: UUID, owner: UUID? = nil, on connection: PostgresConnection) throws -> Outcome {
        guard let row = try connection.query("""
            SELECT status::text AS status FROM products
            WHERE id = \(productID) AND (\(owner)::uuid IS NULL OR owner_id = \(owner)) FOR UPDATE
            """).first else { return .notFound }
        guard try row.decode(String.self, column: "status") != ProductStatus.failed.rawValue else { return .failed }
        let cancelled = try JobTransition.cancelJobs(ofProduct: productID, on: connection)
        let refunded = try Credits.refund(product: productID, note: "product cancelled", on: connection).credits
        switch try ProductTransition.move(productID, to: .cancelled, on: connection) {
        case .changed, .unchanged:
            return .cancelled(jobs: cancelled, refundedCredits: refunded)
        case .refused(let current):
            return .refused(current: current)
        case .noSuchProduct:
            return .notFound
        }
    }
}
