import Foundation
import JobRuntime
import Mockups
import Postgres
import ProductFlow

/// `templates rerender`: the active mockups of `ready_for_sale` products that were made
/// from an older version of a template than the catalogue's, and — one transaction each —
/// a new mockup job for each, through the outbox.
///
/// The product is not touched: it stays `ready_for_sale` with its old images. The new job
/// renders for the product's current selection; its success transaction
/// (`MockupActivation`) archives the old mockup and activates the new one together, so the
/// gallery never lacks an image. A selection made meanwhile supersedes the job as usual.
struct MockupRerender: Sendable {
    struct Item: Encodable, Sendable {
        var productID: UUID
        var assetID: UUID
        var role: String
        var templateID: String
        var recordedVersion: Int
        var currentVersion: Int
        var result: String
        var jobID: UUID?
        var messageID: UUID?

        private enum CodingKeys: String, CodingKey {
            case productID = "product_id", assetID = "asset_id", role, templateID = "template_id"
            case recordedVersion = "recorded_version", currentVersion = "current_version", result
            case jobID = "job_id", messageID = "message_id"
        }

        var line: String {
            "\(result) \(productID.uuidString.lowercased()) \(role) \(templateID) v\(recordedVersion) → v\(currentVersion)"
                + (jobID.map { " job \($0.uuidString.lowercased())" } ?? "")
        }
    }

    /// Every template id of the catalogue with its current version (front and back).
    static func currentVersions(_ catalog: TemplateCatalog) -> [String: Int] {
        var versions: [String: Int] = [:]
        for type in catalog.manifest.productTypes.values {
            for colorway in type.colors.values {
                for side in PrintSide.allCases {
                    for kind in MockupKind.allCases {
                        if let entry = colorway[kind, side] { versions[entry.id] = entry.version }
                    }
                }
            }
        }
        return versions
    }

    var versions: [String: Int]
    /// Only mockups of this template, when set.
    var templateID: String?

    /// The stale mockups, oldest product first.
    func stale(on connection: PostgresConnection) throws -> [Item] {
        let rows = try connection.query("""
            SELECT a.id, a.product_id, a.asset_role::text AS role, a.template_info->>'template_id' AS template_id,
                   (a.template_info->>'template_version')::int AS template_version
            FROM product_assets a JOIN products p ON p.id = a.product_id
            WHERE a.asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine') AND a.is_active AND a.archived_at IS NULL
              AND a.selection_version = p.selection_version AND p.status = 'ready_for_sale'
              AND a.template_info ? 'template_id'
              AND (\(templateID)::text IS NULL OR a.template_info->>'template_id' = \(templateID))
            ORDER BY p.created_at, p.id, a.asset_role
            """)
        return try rows.compactMap { row in
            guard let id = try row.decode(String?.self, column: "template_id"), let current = versions[id],
                  let recorded = try row.decode(Int?.self, column: "template_version"), recorded < current else { return nil }
            return Item(productID: try row.decode(UUID.self, column: "product_id"), assetID: try row.decode(UUID.self, column: "id"),
                        role: try row.decode(String.self, column: "role"), templateID: id, recordedVersion: recorded,
                        currentVersion: current, result: "stale")
        }
    }

    /// Enqueues the re-render of `item`; the caller runs it in one transaction. Skipped when
    /// the product moved on (no longer ready, re-selected, the mockup replaced) or a job of
    /// that kind for the current selection is already waiting or running (a second run adds
    /// nothing).
    func enqueue(_ item: Item, on connection: PostgresConnection) throws -> Item {
        var item = item
        let kind = item.role == JobKinds.mockupFlatLayAssetRole ? JobKinds.mockupFlatLay : JobKinds.mockupMrImagine
        guard let queue = JobKinds.queue(for: kind) else { throw RerenderError.noQueue(kind) }
        let rows = try connection.query("""
            SELECT p.selection_version, p.product_type, p.shirt_color, p.placement::text, a.source_asset_id,
                   EXISTS (SELECT 1 FROM jobs j WHERE j.product_id = p.id AND j.kind = \(kind)
                             AND j.selection_version = p.selection_version
                             AND j.state IN ('queued', 'running', 'retrying')) AS waiting
            FROM products p JOIN product_assets a ON a.product_id = p.id
            WHERE p.id = \(item.productID) AND a.id = \(item.assetID) AND p.status = 'ready_for_sale'
              AND a.is_active AND a.selection_version = p.selection_version
            FOR UPDATE OF p
            """)
        guard let row = rows.first else {
            item.result = "skipped (the product changed)"
            return item
        }
        if try row.decode(Bool.self, column: "waiting") {
            item.result = "skipped (already re-rendering)"
            return item
        }
        let selection = try row.decode(Int.self, column: "selection_version")
        let payload = MockupJobPayload(
            productID: item.productID, selectionVersion: selection,
            designAssetID: try row.decode(UUID.self, column: "source_asset_id"),
            productType: try row.decode(String.self, column: "product_type"),
            shirtColor: try row.decode(String.self, column: "shirt_color"), placement: try PrintPlacement.decode(row))
        let request = JobRequest(kind: kind, queue: queue, payload: try JSONEncoder().encode(payload),
                                 productID: item.productID, selectionVersion: selection)
        try request.insertJobRow(on: connection)
        item.messageID = try request.message().insert(on: connection)
        item.jobID = request.id
        item.result = "enqueued"
        return item
    }

    enum RerenderError: Error, CustomStringConvertible {
        case noQueue(String)

        var description: String {
            switch self {
            case .noQueue(let kind): "no queue for job kind \(kind)"
            }
        }
    }
}
