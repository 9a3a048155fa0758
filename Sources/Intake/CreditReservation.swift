import Foundation
import Postgres

/// Credit ledger writes of the intake: one `reserve` of 1 credit per product iteration
/// (consumed by the finalizer on promotion, refunded on failure or cancel).
enum CreditReservation {
    static let creditsPerIteration = 1

    /// Reserves in the caller's transaction. The ledger trigger lowers the balance, whose
    /// check (`credit_balance_not_negative`) refuses to go below zero: that is answered as
    /// 402 `insufficient_credits` (the transaction is rolled back by the caller).
    static func reserve(owner: UUID, product: UUID, iteration: Int, on connection: PostgresConnection) throws {
        let note = "product iteration \(iteration)"
        do {
            try connection.execute("""
                INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount, note)
                VALUES (\(owner), \(product), \(UUID()), 'reserve', \(creditsPerIteration), \(note))
                """)
        } catch let error as PostgresError where error.sqlState == "23514" && error.constraint == "credit_balance_not_negative" {
            throw APIProblem.insufficientCredits
        }
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
