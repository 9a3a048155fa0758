public import Foundation
public import Postgres

/// The credit ledger's operations (DESIGN.md §4). The schema enforces the rules — balance
/// never negative, one settlement per reservation — so these are thin and idempotent.
public enum Credits {
    /// Reserves `amount` for `product`, or returns nil when the owner's balance is short.
    ///
    /// "Too few credits" is decided by the statement's guard, not by a constraint violation:
    /// the reserve row is inserted only from the owner's account row locked `FOR UPDATE`
    /// whose balance covers `amount` (a concurrent reservation waits on the lock and is
    /// checked against the balance it left), so a refusal writes no ERROR to the server log.
    /// The schema's `credit_balance_not_negative` stays the backstop and is answered the
    /// same way should it ever fire (inside a savepoint, so the caller's transaction goes on).
    public static func reserve(owner: UUID, product: UUID, amount: Int = 1, note: String? = nil, on connection: PostgresConnection) throws -> UUID? {
        let reservation = UUID()
        try connection.execute("SAVEPOINT credits_reserve")
        do {
            let reserved = try connection.query("""
                INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount, note)
                SELECT a.owner_id, \(product), \(reservation), 'reserve', \(amount), \(note)
                FROM (SELECT owner_id FROM credit_accounts
                      WHERE owner_id = \(owner) AND balance >= \(amount) FOR UPDATE) a
                RETURNING id
                """)
            try connection.execute("RELEASE SAVEPOINT credits_reserve")
            return reserved.isEmpty ? nil : reservation
        } catch let error as PostgresError where error.sqlState == "23514" && error.constraint == "credit_balance_not_negative" {
            try connection.execute("ROLLBACK TO SAVEPOINT credits_reserve")
            return nil
        }
    }

    /// What a settlement did: how many reservations it settled, for how many credits.
    public struct Settlement: Sendable, Equatable {
        public var reservations: Int
        public var credits: Int
    }

    /// Consumes every reservation of the product not yet settled. Returns how many were.
    @discardableResult
    public static func consumeUnsettled(product: UUID, on connection: PostgresConnection) throws -> Int {
        try settleUnsettled(product: product, as: "consume", note: nil, on: connection).reservations
    }

    /// Refunds every reservation of the product not yet settled. Returns how many were.
    @discardableResult
    public static func refundUnsettled(product: UUID, on connection: PostgresConnection) throws -> Int {
        try refund(product: product, note: nil, on: connection).reservations
    }

    /// Refunds every reservation of the product not yet settled, with `note` on each refund
    /// row (a cancellation says so), and says how many credits went back.
    @discardableResult
    public static func refund(product: UUID, note: String?, on connection: PostgresConnection) throws -> Settlement {
        try settleUnsettled(product: product, as: "refund", note: note, on: connection)
    }

    /// A concurrent settlement of the same reservation loses on the unique index and is
    /// skipped (ON CONFLICT), so calling this twice, or from two processes, settles once.
    private static func settleUnsettled(product: UUID, as kind: String, note: String?, on connection: PostgresConnection) throws -> Settlement {
        let rows = try connection.query("""
            INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount, note)
            SELECT r.owner_id, r.product_id, r.reservation_id, \(kind)::ledger_entry_kind, r.amount, \(note)
            FROM credit_ledger r
            WHERE r.product_id = \(product) AND r.kind = 'reserve'
              AND NOT EXISTS (SELECT 1 FROM credit_ledger s
                              WHERE s.reservation_id = r.reservation_id AND s.kind IN ('consume', 'refund'))
            ORDER BY r.id
            ON CONFLICT (reservation_id) WHERE kind IN ('consume', 'refund') DO NOTHING
            RETURNING amount
            """)
        let credits = try rows.reduce(0) { $0 + Int(try $1.decode(Int64.self, column: "amount")) }
        return Settlement(reservations: rows.count, credits: credits)
    }

    /// The owner's available balance (grants − open reservations − consumed).
    public static func balance(owner: UUID, on connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT COALESCE((SELECT balance FROM credit_accounts WHERE owner_id = \(owner)), 0) AS balance")[0]
            .decode(Int.self, column: "balance")
    }
}
