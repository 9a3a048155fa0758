import Foundation
import Postgres
import ProductFlow

/// Saves a product's selected design to the shop's library, in one transaction: a design
/// (name, tags) — or the next version of an existing one (a regenerated or edited design;
/// products made from earlier versions keep theirs) — with the provenance (prompt, iteration, every feedback that
/// led to it, provider and model) and one variant per stored variant of the selected
/// candidate (original, dtf, background_removed).
///
/// Blobs are content-addressed (`blobs`, keyed by sha256): a variant whose content is not
/// stored yet adopts the product asset's own object as the blob (no copy); content already
/// stored is not stored again — the asset then points at the existing blob, and its own
/// object (the duplicate) is returned in ``Outcome/duplicateKeys`` for the caller to delete
/// after the commit. Either way the product's asset names the blob, so neither the
/// product's cleanup nor the library's deletion can remove an object the other still uses.
struct LibrarySave: Sendable {
    /// A new design (name and tags), or a new version of an existing one.
    enum Target: Sendable {
        case newDesign(name: String, tags: [String])
        case newVersion(of: UUID)
    }

    struct Outcome: Sendable {
        var designID: UUID
        var version: Int
        /// Objects whose content another blob already holds: no row names them any more.
        var duplicateKeys: [String]
    }

    var caller: Caller
    var productID: UUID
    var target: Target

    func run(on database: PostgresClient) async throws -> Outcome {
        try await database.withTransaction { connection in
            let productID = self.productID
            // A new version: the design is locked first (a concurrent version waits and numbers after it).
            if case .newVersion(let designID) = target {
                guard let design = try connection.query("""
                    SELECT archived_at IS NOT NULL AS archived FROM library_designs
                    WHERE id = \(designID) AND owner_id = \(caller.ownerID) FOR UPDATE
                    """).first else { throw APIProblem.libraryDesignNotFound }
                guard !(try design.decode(Bool.self, column: "archived")) else {
                    throw APIProblem.invalidState("the library design is archived; it takes no new version")
                }
            }
            guard let product = try connection.query("""
                SELECT prompt, product_type, shirt_color, placement::text AS placement FROM products
                WHERE id = \(productID) AND owner_id = \(caller.ownerID) FOR SHARE
                """).first else { throw APIProblem.productNotFound }
            guard let primary = try connection.query("""
                SELECT id, job_id, iteration, candidate_index, variant::text AS variant, provider, model FROM product_assets
                WHERE product_id = \(productID) AND is_primary_design
                """).first else {
                throw APIProblem.invalidState("the product has no selected design to save; select one of its designs first")
            }
            let iteration = try primary.decode(Int.self, column: "iteration")
            let variants = try connection.query("""
                SELECT id, variant::text AS variant, storage_key, content_type, width, height, byte_size, sha256, blob_sha256
                FROM product_assets
                WHERE product_id = \(productID) AND asset_role = 'design' AND generation_status = 'succeeded'
                  AND iteration = \(iteration) AND candidate_index = \(try primary.decode(Int.self, column: "candidate_index"))
                  AND job_id IS NOT DISTINCT FROM \(try primary.decode(UUID?.self, column: "job_id"))
                ORDER BY variant FOR UPDATE
                """)
            var duplicates: [String] = []
            var stored: [(variant: String, sha256: [UInt8])] = []
            for row in variants {
                let sha256 = try row.decode([UInt8].self, column: "sha256")
                let key = try row.decode(String.self, column: "storage_key")
                if try row.decode([UInt8]?.self, column: "blob_sha256") == nil {
                    try connection.execute("""
                        INSERT INTO blobs (sha256, storage_key, content_type, width, height, byte_size)
                        VALUES (\(sha256), \(key), \(try row.decode(String.self, column: "content_type")),
                                \(try row.decode(Int.self, column: "width")), \(try row.decode(Int.self, column: "height")),
                                \(try row.decode(Int64.self, column: "byte_size")))
                        ON CONFLICT (sha256) DO NOTHING
                        """)
                    let blobKey = try connection.query("SELECT storage_key FROM blobs WHERE sha256 = \(sha256)")[0]
                        .decode(String.self, column: "storage_key")
                    try connection.execute("""
                        UPDATE product_assets SET blob_sha256 = \(sha256), storage_key = \(blobKey), updated_at = now()
                        WHERE id = \(try row.decode(UUID.self, column: "id"))
                        """)
                    if blobKey != key { duplicates.append(key) }
                }
                stored.append((try row.decode(String.self, column: "variant"), sha256))
            }
            let feedback = try DesignIteration.all(of: productID, on: connection)
                .filter { $0.iteration <= iteration }.compactMap(\.feedback)
            let designID: UUID, number: Int
            switch target {
            case .newDesign(let name, let tags):
                designID = try connection.query("""
                    INSERT INTO library_designs (owner_id, name, tags) VALUES (\(caller.ownerID), \(name), \(tags))
                    RETURNING id
                    """)[0].decode(UUID.self, column: "id")
                number = 1
            case .newVersion(let id):
                designID = id
                number = try connection.query("""
                    SELECT COALESCE(max(version), 0) + 1 AS next FROM library_design_versions WHERE design_id = \(designID)
                    """)[0].decode(Int.self, column: "next")
                try connection.execute("UPDATE library_designs SET updated_at = now() WHERE id = \(designID)")
            }
            let versionID = try connection.query("""
                INSERT INTO library_design_versions (design_id, version, selected_variant, source_product_id, source_asset_id,
                    prompt, iteration, feedback, provider, model, product_type, shirt_color, placement)
                VALUES (\(designID), \(number), \(try primary.decode(String.self, column: "variant"))::asset_variant, \(productID),
                        \(try primary.decode(UUID.self, column: "id")), \(try product.decode(String.self, column: "prompt")),
                        \(iteration), \(feedback), \(try primary.decode(String?.self, column: "provider")),
                        \(try primary.decode(String?.self, column: "model")), \(try product.decode(String.self, column: "product_type")),
                        \(try product.decode(String.self, column: "shirt_color")), \(try product.decode(String?.self, column: "placement"))::jsonb)
                RETURNING id
                """)[0].decode(UUID.self, column: "id")
            for (variant, sha256) in stored {
                try connection.execute("""
                    INSERT INTO library_design_variants (version_id, variant, blob_sha256)
                    VALUES (\(versionID), \(variant)::asset_variant, \(sha256))
                    """)
            }
            return Outcome(designID: designID, version: number, duplicateKeys: duplicates)
        }
    }
}
