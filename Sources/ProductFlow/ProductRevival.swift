public import Foundation
import JobRuntime
public import Postgres

/// Bringing a `failed` product back (the operator's replay of the dead job that failed it,
/// or the shopper's re-selection of one of its designs). Both re-reserve the credits the
/// failure refunded, in the caller's transaction, before the product moves on through
/// ``ProductTransition/move(_:to:failureReason:on:)``.
public enum ProductRevival {
    public enum Reservation: Sendable, Equatable {
        /// `amount` credits reserved again (0 when the failure refunded none).
        case reserved(amount: Int)
        /// The owner's balance cannot cover it; nothing was written.
        case insufficient(needed: Int, balance: Int)
    }

    /// How a recovery's reservation is noted in the ledger.
    public static let notePrefix = "recovery of a failed product"

    /// Reserves again what the product's failure refunded. The failure refunded every open
    /// reservation in one statement, so those rows share the latest refund timestamp (one
    /// transaction's `now()`). A recovery's reservation (its note starts with
    /// ``notePrefix``) made after that batch means it was reserved again already, as when a
    /// product recovered, was promoted (consumed) and failed again (refunding nothing): then
    /// nothing is reserved. Call inside a transaction, with the product row locked.
    public static func reReserveRefunded(product: UUID, owner: UUID, note: String, on connection: PostgresConnection) throws -> Reservation {
        let note = "\(notePrefix): \(note)"
        let recoveries = "\(notePrefix)%"
        let refunded = try connection.query("""
            WITH last_refund AS (
                SELECT max(created_at) AS at FROM credit_ledger WHERE product_id = \(product) AND kind = 'refund'
            )
            SELECT COALESCE(sum(l.amount), 0)::bigint AS refunded FROM credit_ledger l, last_refund
            WHERE l.product_id = \(product) AND l.kind = 'refund' AND l.created_at = last_refund.at
              AND last_refund.at > COALESCE((SELECT max(created_at) FROM credit_ledger
                                             WHERE product_id = \(product) AND kind = 'reserve' AND note LIKE \(recoveries)),
                                            '-infinity'::timestamptz)
            """)[0].decode(Int.self, column: "refunded")
        guard refunded > 0 else { return .reserved(amount: 0) }
        let balance = try Credits.balance(owner: owner, on: connection)
        guard balance >= refunded else { return .insufficient(needed: refunded, balance: balance) }
        guard try Credits.reserve(owner: owner, product: product, amount: refunded, note: note, on: connection) != nil else {
            // A concurrent reservation spent the balance between the read and the insert.
            return .insufficient(needed: refunded, balance: try Credits.balance(owner: owner, on: connection))
        }
        return .reserved(amount: refunded)
    }

    /// The mockup jobs of `selection` that the failure cancelled (it cancels the product's
    /// queued and retrying jobs) are enqueued again as new jobs with the same payload — a
    /// cancelled job stays cancelled (`JobState` has no way out of it). A kind that still has
    /// a job of that selection in any other state (live, succeeded, dead) is left alone: a
    /// dead one has its own dead letter to replay. Returns the kinds enqueued.
    public static func requeueCancelledMockups(product: UUID, selection: Int, on connection: PostgresConnection) throws -> [String] {
        var enqueued: [String] = []
        for kind in [JobKinds.mockupFlatLay, JobKinds.mockupMrImagine] {
            let jobs = try connection.query("""
                SELECT state::text AS state, queue, payload::text AS payload FROM jobs
                WHERE product_id = \(product) AND kind = \(kind) AND selection_version = \(selection)
                ORDER BY created_at DESC
                """)
            let states = try jobs.map { try $0.decode(String.self, column: "state") }
            guard let cancelled = jobs.first, !states.isEmpty, states.allSatisfy({ $0 == JobState.cancelled.rawValue }) else { continue }
            let name = try cancelled.decode(String.self, column: "queue")
            let queue = JobKinds.queue(for: kind).flatMap { $0.name == name ? $0 : nil }
                ?? Topology.WorkQueue(name: name, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [name])
            try JobRequest(kind: kind, queue: queue, payload: Data(try cancelled.decode(String.self, column: "payload").utf8),
                           productID: product, selectionVersion: selection).enqueue(on: connection)
            enqueued.append(kind)
        }
        return enqueued
    }
}
