import Foundation
import Postgres

/// Credit ledger writes of the intake: one `reserve` per product iteration, of the price
/// in force (`ITP_PRICE_CREATE`, `ITP_PRICE_REGENERATE`); consumed by the finalizer on
/// promotion, refunded on failure or cancel — always the amount reserved.
enum CreditReservation {
    /// Reserves `amount` in the caller's transaction, or throws 402 `insufficient_credits`
    /// (the transaction is rolled back by the caller).
    ///
    /// "Too few credits" is decided by the statement's guard, not by a constraint
    /// violation: the reserve row is inserted only from an account row locked `FOR UPDATE`
    /// whose balance covers `amount` (a concurrent reservation waits on the lock and is
    /// re-checked against the balance it left), so a 402 writes no ERROR to the server
    /// log. The balance check (`credit_balance_not_negative`) stays the schema's backstop,
    /// and is answered the same way should it ever fire.
    static func reserve(owner: UUID, product: UUID, iteration: Int, amount: Int, on connection: PostgresConnection) throws {
        let note = "product iteration \(iteration)"
        do {
            let reserved = try connection.query("""
                INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount, note)
                SELECT a.owner_id, \(product), \(UUID()), 'reserve', \(amount), \(note)
                FROM (SELECT owner_id FROM credit_accounts
                      WHERE owner_id = \(owner) AND balance >= \(amount) FOR UPDATE) a
                RETURNING id
                """)
            guard !reserved.isEmpty else { throw APIProblem.insufficientCredits }
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
