import Foundation
import Postgres
import ProductFlow

/// Credit ledger writes of the intake, all through ``Credits``: one reserve per product
/// iteration, of the price in force (`ITP_PRICE_CREATE`, `ITP_PRICE_REGENERATE`);
/// consumed by the finalizer on promotion, refunded on failure or cancel — always the
/// amount reserved.
extension Credits {
    /// Reserves `amount` in the caller's transaction, or throws 402 `insufficient_credits`
    /// (decided by the statement's guard, so a 402 writes no ERROR to the server log:
    /// ``Credits/reserve(owner:product:amount:note:on:)``).
    static func reserve(owner: UUID, product: UUID, iteration: Int, amount: Int, on connection: PostgresConnection) throws {
        guard try reserve(owner: owner, product: product, amount: amount, note: "product iteration \(iteration)", on: connection) != nil
        else { throw APIProblem.insufficientCredits }
    }
}
