import Foundation
import JobRuntime
import Postgres
import ProductFlow

/// `POST /v1/products` in one transaction (DESIGN.md §1 step 1): the product (`draft`),
/// the reservation of `price` credits, and the design job with its outbox row — all or
/// nothing. Both outcomes carry the credits reserved (a replay: the first request's).
///
/// With an `Idempotency-Key`, the fingerprint is `sha256` of the draft's canonical JSON,
/// computed by Postgres. A key seen before answers the product it made (same body) or
/// `idempotency_conflict` (different body). Two concurrent requests with the same key
/// meet at the unique constraint: `ON CONFLICT DO NOTHING` waits for the other
/// transaction, and the loser reads the winner's row.
struct ProductCreation: Sendable {
    enum Outcome: Sendable, Equatable {
        case created(UUID, cost: Int)
        case replayed(UUID, cost: Int)
    }

    var caller: Caller
    var draft: ProductDraft
    var idempotencyKey: String?
    /// Credits to reserve (`ITP_PRICE_CREATE`).
    var price: Int

    func run(on database: PostgresClient) async throws -> Outcome {
        let canonical = try draft.canonicalJSON()
        let placementJSON = try draft.placementJSON()
        return try await database.withTransaction { connection in
            if let existing = try replay(canonical, on: connection) { return existing }
            let productID = UUID()
            let inserted = try connection.query("""
                INSERT INTO products (id, owner_id, status, prompt, product_type, shirt_color, candidate_count,
                                      placement, idempotency_key, request_sha256)
                VALUES (\(productID), \(caller.ownerID), 'draft', \(draft.prompt), \(draft.productType), \(draft.shirtColor),
                        \(draft.candidates), \(placementJSON)::jsonb, \(idempotencyKey),
                        CASE WHEN \(idempotencyKey)::text IS NULL THEN NULL ELSE sha256(convert_to(\(canonical), 'UTF8')) END)
                ON CONFLICT ON CONSTRAINT products_idempotency_key_unique DO NOTHING
                RETURNING id
                """)
            guard !inserted.isEmpty else {
                // A concurrent request with the same key committed first.
                guard let existing = try replay(canonical, on: connection) else {
                    throw IntakeError.unexpected("idempotency conflict without a visible product")
                }
                return existing
            }
            try Credits.reserve(owner: caller.ownerID, product: productID, iteration: 1, amount: price, on: connection)
            let payload = DesignJobPayload(
                productID: productID, iteration: 1, candidates: draft.candidates, prompt: draft.prompt,
                productType: draft.productType, shirtColor: draft.shirtColor,
                seed: DesignSeed.make(productID: productID, iteration: 1), placement: draft.placement.map { PrintPlacement($0) })
            try JobRequest(
                kind: JobKinds.designGenerate, queue: ProductQueues.designGenerate, payload: try JSONEncoder().encode(payload),
                productID: productID, iteration: 1
            ).enqueue(on: connection)
            return .created(productID, cost: price)
        }
    }

    private func replay(_ canonical: String, on connection: PostgresConnection) throws -> Outcome? {
        guard let idempotencyKey else { return nil }
        return try Self.replay(key: idempotencyKey, canonical: canonical, caller: caller, on: connection)
    }

    /// The product an earlier request with this key made (nil: none), or
    /// `idempotency_conflict` when that request's body was a different one. Shared with
    /// products made from the library, whose fingerprint is their own draft's.
    static func replay(key idempotencyKey: String, canonical: String, caller: Caller, on connection: PostgresConnection) throws -> Outcome? {
        let rows = try connection.query("""
            SELECT id, request_sha256 = sha256(convert_to(\(canonical), 'UTF8'))
            FROM products WHERE owner_id = \(caller.ownerID) AND idempotency_key = \(idempotencyKey)
            """)
        guard let row = rows.first else { return nil }
        let (id, sameRequest) = try row.decode((UUID, Bool).self)
        guard sameRequest else { throw APIProblem.idempotencyConflict }
        let cost = try connection.query("""
            SELECT COALESCE((SELECT amount FROM credit_ledger WHERE product_id = \(id) AND kind = 'reserve' ORDER BY id LIMIT 1), 0)
            """)[0].decode(Int.self)
        return .replayed(id, cost: cost)
    }
}
