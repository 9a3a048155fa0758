import Foundation
import Postgres

/// `DELETE /v1/library/designs/{id}` (`?archive=true` to archive instead), in one
/// transaction under the design's row lock:
///
/// - archive on request: hidden from the list and from new products; products made from it
///   go on; its blobs are kept (the variants still name them);
/// - delete while live products (not cancelled or failed) use it: refused, 409
///   `design_in_use`, naming them;
/// - delete when only cancelled or failed products record it as their source: archived
///   (their record of where they came from is kept), and the answer says so;
/// - otherwise deleted: variants, versions, the design. Its blobs stay until
///   `itp-admin assets cleanup` finds no row naming them.
struct LibraryDeletion: Sendable {
    struct Outcome: Encodable, Sendable {
        var id: UUID
        /// `deleted` or `archived`.
        var outcome: String
        var detail: String
    }

    var caller: Caller
    var designID: UUID
    var archive: Bool

    func run(on database: PostgresClient) async throws -> Outcome {
        try await database.withTransaction { connection in
            guard try connection.query("""
                SELECT id FROM library_designs WHERE id = \(designID) AND owner_id = \(caller.ownerID) FOR UPDATE
                """).first != nil else { throw APIProblem.libraryDesignNotFound }
            if archive {
                try archiveDesign(on: connection)
                return Outcome(id: designID, outcome: "archived", detail: "archived: no new product can use it; its products and blobs are kept")
            }
            let live = try connection.query("""
                SELECT id FROM products WHERE library_design_id = \(designID) AND status NOT IN ('cancelled', 'failed')
                ORDER BY created_at, id
                """).map { try $0.decode(UUID.self, column: "id") }
            guard live.isEmpty else { throw APIProblem.designInUse(products: live) }
            let anyProduct = try connection.query("SELECT 1 FROM products WHERE library_design_id = \(designID) LIMIT 1")
            guard anyProduct.isEmpty else {
                try archiveDesign(on: connection)
                return Outcome(
                    id: designID, outcome: "archived",
                    detail: "archived instead of deleted: cancelled or failed products still record it as their source")
            }
            try connection.execute("""
                DELETE FROM library_design_variants WHERE version_id IN (SELECT id FROM library_design_versions WHERE design_id = \(designID))
                """)
            try connection.execute("DELETE FROM library_batches WHERE design_id = \(designID)")
            try connection.execute("DELETE FROM library_design_versions WHERE design_id = \(designID)")
            try connection.execute("DELETE FROM library_designs WHERE id = \(designID)")
            return Outcome(id: designID, outcome: "deleted", detail: "deleted; its blobs go with the next asset cleanup if nothing else uses them")
        }
    }

    private func archiveDesign(on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE library_designs SET archived_at = COALESCE(archived_at, now()), updated_at = now() WHERE id = \(designID)
            """)
    }
}
