import Foundation
import Postgres
import ProductFlow

/// Credit ledger writes of the intake: one `reserve` per product iteration, of the price
/// in force (`ITP_PRICE_CREATE`, `ITP_PRICE_REGENERATE`); consumed by the finalizer on
/// promotion, refunded on failure or cancel — always the amount reserved.
enum CreditReservation {
    /// Reserves `amount` in the caller's transaction, or throws 402 `insufficient_credits`
    /// (decided by the statement's guard, so a 402 writes no ERROR to the server log:
    /// ``Credits/reserve(owner:product:amount:note:on:)``).
    static func reserve(owner: UUID, product: UUID, iteration: Int, amount: Int, on connection: PostgresConnection) throws {
        guard try Credits.reserve(owner: owner, product: product, amount: amount, note: "product iteration \(iteration)", on: connection) != nil
        else { throw APIProblem.insufficientCredits }
    }

    /// Refunds every reservation of `product` that has no settlement yet; returns how
    /// many credits went back. A concurrent settlement (the finalizer consuming) wins by
    /// the ledger's one-settlement index, and is skipped here.
    static func refundUnsettled(product: UUID, note: String, on connection: PostgresConnection) throws -> Int {
        let rows = try connection.query("""
            INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount, note)
            SELECT r.owner_id, r.product_id, r.reservation_id, 'refund', r.amount, \(note)
            FROM credit_ledger r
            WHERE r.product_id = \(product) AND r.kind = 'reserve'
              AND NOT EXISTS (SELECT 1 FROM credit_ledger s
                              WHERE s.reservation_id = r.reservation_id AND s.kind IN ('consume', 'refund'))
            ON CONFLICT (reservation_id) WHERE kind IN ('consume', 'refund') DO NOTHING
            RETURNING amount
            """)
        return try rows.reduce(0) { $0 + Int(try $1.decode(Int64.self, at: 0)) }
    }
}
