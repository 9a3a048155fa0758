public import Foundation
public import ProductFlow
public import Postgres

/// A product as operators inspect it (`itp-admin products show`, the console's product page): the product row, its iterations with the feedback
/// of each regeneration, its assets with their flags, its jobs and its credit ledger entries.
public struct ProductDetail: Encodable, Sendable {
    public struct Asset: Encodable, Sendable {
        public var id: UUID
        public var role: String
        public var variant: String?
        public var iteration: Int?
        public var candidateIndex: Int?
        public var isPrimaryDesign: Bool
        public var isActive: Bool
        public var pendingSelection: Bool
        public var archivedAt: Date?
        public var generationStatus: String
        public var errorStatus: String?
        public var errorMessage: String?
        public var selectionVersion: Int?
        public var sourceAssetId: UUID?
        public var jobId: UUID?
        public var storageKey: String?
        public var width: Int?
        public var height: Int?
        public var byteSize: Int64?
        public var templateInfo: JSONValue?
        /// Designs: source pixels per printed inch at the placement, and its warning.
        public var effectiveDpi: Int?
        public var printQuality: String?
        /// Designs: the image provider and model that made it; set when the blob is shared
        /// (content-addressed: the design library's).
        public var provider: String?
        public var model: String?
        public var sharedBlob: Bool
        public var createdAt: Date
    }

    /// Where a product made from the shop's library came from: the design, its version and
    /// the fields the product overrides (garment, colour, placement).
    public struct LibrarySource: Encodable, Sendable {
        public var designId: UUID
        public var designName: String
        public var designArchived: Bool
        public var version: Int
        public var latestVersion: Int
        public var overrides: [String]
    }


    public struct LedgerEntry: Encodable, Sendable {
        public var createdAt: Date
        public var kind: String
        public var amount: Int64
        public var reservationId: UUID?
        public var note: String?
    }

    public var id: UUID
    public var owner: String
    public var status: String
    public var failureReason: String?
    public var prompt: String
    public var productType: String
    public var shirtColor: String
    public var placement: PrintPlacement?
    public var iteration: Int
    public var selectionVersion: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var readyAt: Date?
    /// Nil for a product made from a prompt.
    public var library: LibrarySource?
    public var iterations: [DesignIteration]
    public var assets: [Asset]
    public var jobs: [JobView]
    public var ledger: [LedgerEntry]

    public static func load(_ id: UUID, on connection: PostgresConnection) throws -> ProductDetail? {
        guard let row = try connection.query("""
            SELECT o.name, p.status::text, p.failure_reason, p.prompt, p.product_type, p.shirt_color, p.iteration,
                   p.selection_version, p.created_at, p.updated_at, p.ready_at, p.placement::text
            FROM products p JOIN owners o ON o.id = p.owner_id WHERE p.id = \(id)
            """).first else { return nil }
        let assets = try connection.query("""
            SELECT id, asset_role::text, variant::text, iteration, candidate_index, is_primary_design, is_active, pending_selection,
                   archived_at, generation_status::text, error_status, error_message, selection_version, source_asset_id, job_id,
                   storage_key, width, height, byte_size, template_info::text, effective_dpi, print_quality, provider, model,
                   blob_sha256 IS NOT NULL AS shared_blob, created_at
            FROM product_assets WHERE product_id = \(id)
            ORDER BY asset_role, iteration NULLS LAST, candidate_index NULLS LAST, variant NULLS LAST, created_at
            """).map { row in
            Asset(
                id: try row.decode(UUID.self, column: "id"), role: try row.decode(String.self, column: "asset_role"), variant: try row.decode(String?.self, column: "variant"),
                iteration: try row.decode(Int?.self, column: "iteration"), candidateIndex: try row.decode(Int?.self, column: "candidate_index"),
                isPrimaryDesign: try row.decode(Bool.self, column: "is_primary_design"), isActive: try row.decode(Bool.self, column: "is_active"),
                pendingSelection: try row.decode(Bool.self, column: "pending_selection"), archivedAt: try row.decode(Date?.self, column: "archived_at"),
                generationStatus: try row.decode(String.self, column: "generation_status"), errorStatus: try row.decode(String?.self, column: "error_status"),
                errorMessage: try row.decode(String?.self, column: "error_message"), selectionVersion: try row.decode(Int?.self, column: "selection_version"),
                sourceAssetId: try row.decode(UUID?.self, column: "source_asset_id"), jobId: try row.decode(UUID?.self, column: "job_id"),
                storageKey: try row.decode(String?.self, column: "storage_key"), width: try row.decode(Int?.self, column: "width"),
                height: try row.decode(Int?.self, column: "height"), byteSize: try row.decode(Int64?.self, column: "byte_size"),
                templateInfo: try row.decode(String?.self, column: "template_info").flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) },
                effectiveDpi: try row.decode(Int?.self, column: "effective_dpi"), printQuality: try row.decode(String?.self, column: "print_quality"),
                provider: try row.decode(String?.self, column: "provider"), model: try row.decode(String?.self, column: "model"),
                sharedBlob: try row.decode(Bool.self, column: "shared_blob"), createdAt: try row.decode(Date.self, column: "created_at"))
        }
        let library = try connection.query("""
            SELECT d.id, d.name, d.archived_at IS NOT NULL AS archived, v.version, p.library_overrides,
                   (SELECT max(version) FROM library_design_versions l WHERE l.design_id = d.id) AS latest
            FROM products p JOIN library_designs d ON d.id = p.library_design_id
            JOIN library_design_versions v ON v.id = p.library_version_id
            WHERE p.id = \(id)
            """).first.map { row in
            LibrarySource(
                designId: try row.decode(UUID.self, column: "id"), designName: try row.decode(String.self, column: "name"),
                designArchived: try row.decode(Bool.self, column: "archived"), version: try row.decode(Int.self, column: "version"),
                latestVersion: try row.decode(Int.self, column: "latest"), overrides: try row.decode([String].self, column: "library_overrides"))
        }
        let iterations = try DesignIteration.all(of: id, on: connection)
        let jobs = try connection.query("SELECT \(JobView.columns) FROM jobs WHERE product_id = \(id) ORDER BY created_at, id").map(JobView.init)
        let ledger = try connection.query("""
            SELECT created_at, kind::text, amount, reservation_id, note FROM credit_ledger WHERE product_id = \(id) ORDER BY id
            """).map { row in
            LedgerEntry(
                createdAt: try row.decode(Date.self, column: "created_at"), kind: try row.decode(String.self, column: "kind"), amount: try row.decode(Int64.self, column: "amount"),
                reservationId: try row.decode(UUID?.self, column: "reservation_id"), note: try row.decode(String?.self, column: "note"))
        }
        return ProductDetail(
            id: id, owner: try row.decode(String.self, column: "name"), status: try row.decode(String.self, column: "status"),
            failureReason: try row.decode(String?.self, column: "failure_reason"), prompt: try row.decode(String.self, column: "prompt"),
            productType: try row.decode(String.self, column: "product_type"), shirtColor: try row.decode(String.self, column: "shirt_color"),
            placement: try PrintPlacement.decode(row), iteration: try row.decode(Int.self, column: "iteration"), selectionVersion: try row.decode(Int.self, column: "selection_version"),
            createdAt: try row.decode(Date.self, column: "created_at"), updatedAt: try row.decode(Date.self, column: "updated_at"), readyAt: try row.decode(Date?.self, column: "ready_at"),
            library: library, iterations: iterations, assets: assets, jobs: jobs, ledger: ledger)
    }
}
