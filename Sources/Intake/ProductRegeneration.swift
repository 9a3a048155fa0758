import Foundation
import JobRuntime
import Postgres
import ProductFlow

/// `POST /v1/products/{id}/regenerate`: a new design iteration with the shopper's
/// feedback, only from `awaiting_selection` (one generation at a time). In one
/// transaction: `price` more credits reserved (`ITP_PRICE_REGENERATE`), `iteration + 1`, the move to
/// `generating_designs`, and the design job — whose reference is the current primary
/// design, else candidate 0's original of the previous iteration.
struct ProductRegeneration: Sendable {
    var caller: Caller
    var productID: UUID
    var feedback: String
    var price: Int

    func run(on database: PostgresClient) async throws -> AcceptedProduct {
        try await database.withTransaction { connection in
            guard let product = try connection.query("""
                SELECT status::text, iteration, candidate_count, prompt, product_type, shirt_color, placement::text
                FROM products WHERE id = \(productID) AND owner_id = \(caller.ownerID) FOR UPDATE
                """).first else { throw APIProblem.productNotFound }
            let status = try ProductStatusColumn.decode(product)
            guard status == .awaitingSelection else {
                throw APIProblem.invalidState(
                    "designs can be regenerated only while the product is awaiting_selection (one generation at a time); it is \(status.rawValue)")
            }
            let previous = try product.decode(Int.self, column: "iteration")
            let iteration = previous + 1
            let reference = try connection.query("""
                SELECT COALESCE(
                    (SELECT id FROM product_assets WHERE product_id = \(productID) AND is_primary_design AND is_active),
                    (SELECT id FROM product_assets
                      WHERE product_id = \(productID) AND asset_role = 'design' AND variant = 'original'
                        AND iteration = \(previous) AND candidate_index = 0 AND generation_status = 'succeeded'
                      ORDER BY created_at LIMIT 1)) AS reference
                """).first?.decode(UUID?.self, column: "reference")
            try Credits.reserve(owner: caller.ownerID, product: productID, iteration: iteration, amount: price, on: connection)
            try connection.execute("UPDATE products SET iteration = \(iteration), updated_at = now() WHERE id = \(productID)")
            guard case .changed = try ProductTransition.move(productID, to: .generatingDesigns, on: connection) else {
                throw IntakeError.unexpected("the product refused generating_designs from awaiting_selection")
            }
            let payload = DesignJobPayload(
                productID: productID, iteration: iteration, candidates: try product.decode(Int.self, column: "candidate_count"),
                prompt: try product.decode(String.self, column: "prompt"), productType: try product.decode(String.self, column: "product_type"),
                shirtColor: try product.decode(String.self, column: "shirt_color"), feedback: feedback, referenceAssetID: reference,
                seed: DesignSeed.make(productID: productID, iteration: iteration),
                placement: try PrintPlacement.decode(product))
            try JobRequest(
                kind: JobKinds.designGenerate, queue: ProductQueues.designGenerate, payload: try JSONEncoder().encode(payload),
                productID: productID, iteration: iteration
            ).enqueue(on: connection)
            return AcceptedProduct(id: productID, status: .generatingDesigns, iteration: iteration, estimatedCost: price)
        }
    }
}
