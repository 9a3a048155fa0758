import Foundation
import Postgres
import ProductFlow

/// One library design on many garments, in one transaction: one product per item
/// (``LibraryProductCreation``), each item in its own savepoint, so an item that is
/// refused (a combination the catalogue lacks, too few credits) makes nothing and the
/// others go on. Idempotent as a whole: with an `Idempotency-Key` the answer is stored
/// with the key and the body's fingerprint (`library_batches`) in the same transaction;
/// the same key again answers it without making anything, a different body is
/// `idempotency_conflict`. Two concurrent requests with one key meet at its unique
/// constraint: the second waits, then reads the first's answer.
struct LibraryBatch: Sendable {
    enum Outcome: Sendable {
        case created(LibraryBatchResult)
        /// The stored answer of the request that had this key (JSON).
        case replayed(String)
    }

    /// An item already checked against the catalogue, or the refusal it earned.
    typealias Item = (productType: String, shirtColor: String, draft: Result<LibraryDraft, APIProblem>)

    var caller: Caller
    var designID: UUID
    var version: Int?
    var items: [Item]
    var idempotencyKey: String?
    var price: Int

    func run(on database: PostgresClient) async throws -> Outcome {
        let canonical = try fingerprint()
        return try await database.withTransaction { connection in
            let probe = LibraryDraft(designID: designID, version: version, productType: "", shirtColor: "", placement: nil)
            let resolved = try LibraryProductCreation.version(of: probe, caller: caller, on: connection).decode(Int.self, column: "version")
            if let idempotencyKey {
                let claimed = try connection.query("""
                    INSERT INTO library_batches (owner_id, design_id, idempotency_key, request_sha256, response)
                    VALUES (\(caller.ownerID), \(designID), \(idempotencyKey), sha256(convert_to(\(canonical), 'UTF8')), '{}')
                    ON CONFLICT ON CONSTRAINT library_batches_key_unique DO NOTHING
                    RETURNING id
                    """)
                if claimed.isEmpty {
                    let row = try connection.query("""
                        SELECT request_sha256 = sha256(convert_to(\(canonical), 'UTF8')) AS same, response::text AS response
                        FROM library_batches WHERE owner_id = \(caller.ownerID) AND idempotency_key = \(idempotencyKey)
                        """)[0]
                    guard try row.decode(Bool.self, column: "same") else { throw APIProblem.idempotencyConflict }
                    return .replayed(try row.decode(String.self, column: "response"))
                }
            }
            var result = LibraryBatchResult(designID: designID, version: resolved, created: 0, refused: 0, estimatedCost: 0, items: [])
            for (index, item) in items.enumerated() {
                var entry = LibraryBatchResult.Item(
                    index: index, productType: item.productType, shirtColor: item.shirtColor, result: "refused")
                switch item.draft {
                case .failure(let problem):
                    entry.refusal = .init(problem)
                case .success(var draft):
                    draft.version = resolved
                    try connection.execute("SAVEPOINT library_batch_item")
                    do {
                        guard let made = try LibraryProductCreation.make(draft, caller: caller, price: price, idempotency: nil, on: connection)
                        else { throw IntakeError.unexpected("a batch product without a key collided") }
                        try connection.execute("RELEASE SAVEPOINT library_batch_item")
                        entry.result = "created"
                        entry.product = AcceptedProduct(
                            id: made.productID, status: .generatingMockups, iteration: 1, selectionVersion: made.selectionVersion,
                            estimatedCost: price)
                        result.estimatedCost += price
                    } catch let problem as APIProblem {
                        try connection.execute("ROLLBACK TO SAVEPOINT library_batch_item")
                        entry.refusal = .init(problem)
                    }
                }
                if entry.result == "created" { result.created += 1 } else { result.refused += 1 }
                result.items.append(entry)
            }
            if let idempotencyKey {
                let json = String(decoding: try JSONResponse.encoder.encode(result), as: UTF8.self)
                try connection.execute("""
                    UPDATE library_batches SET response = \(json)::jsonb
                    WHERE owner_id = \(caller.ownerID) AND idempotency_key = \(idempotencyKey)
                    """)
            }
            return .created(result)
        }
    }

    /// The request as its meaning: the version asked for and each item's checked draft
    /// (or its refusal), so whitespace or member order never make two requests differ.
    private func fingerprint() throws -> String {
        var parts = ["design=\(designID.uuidString.lowercased())", "version=\(version.map(String.init) ?? "latest")"]
        for item in items {
            switch item.draft {
            case .success(let draft): parts.append(try draft.canonicalJSON())
            case .failure(let problem): parts.append("refused:\(item.productType):\(item.shirtColor):\(problem.field ?? ""):\(problem.detail)")
            }
        }
        return parts.joined(separator: "\n")
    }
}
