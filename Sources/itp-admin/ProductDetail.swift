import Foundation
import ProductFlow
import Postgres

/// Everything `products show` prints: the product row, its iterations with the feedback
/// of each regeneration, its assets with their flags, its jobs and its credit ledger entries.
struct ProductDetail: Encodable {
    struct Asset: Encodable {
        var id: UUID
        var role: String
        var variant: String?
        var iteration: Int?
        var candidateIndex: Int?
        var isPrimaryDesign: Bool
        var isActive: Bool
        var pendingSelection: Bool
        var archivedAt: Date?
        var generationStatus: String
        var errorStatus: String?
        var errorMessage: String?
        var selectionVersion: Int?
        var sourceAssetId: UUID?
        var jobId: UUID?
        var storageKey: String?
        var width: Int?
        var height: Int?
        var byteSize: Int64?
        var templateInfo: JSONValue?
        /// Designs: source pixels per printed inch at the placement, and its warning.
        var effectiveDpi: Int?
        var printQuality: String?
        var createdAt: Date
    }


    struct LedgerEntry: Encodable {
        var createdAt: Date
        var kind: String
        var amount: Int64
        var reservationId: UUID?
        var note: String?
    }

    var id: UUID
    var owner: String
    var status: String
    var failureReason: String?
    var prompt: String
    var productType: String
    var shirtColor: String
    var placement: PrintPlacement?
    var iteration: Int
    var selectionVersion: Int
    var createdAt: Date
    var updatedAt: Date
    var readyAt: Date?
    var iterations: [DesignIteration]
    var assets: [Asset]
    var jobs: [JobView]
    var ledger: [LedgerEntry]

    static func load(_ id: UUID, on connection: PostgresConnection) throws -> ProductDetail? {
        guard let row = try connection.query("""
            SELECT o.name, p.status::text, p.failure_reason, p.prompt, p.product_type, p.shirt_color, p.iteration,
                   p.selection_version, p.created_at, p.updated_at, p.ready_at, p.placement::text
            FROM products p JOIN owners o ON o.id = p.owner_id WHERE p.id = \(id)
            """).first else { return nil }
        let assets = try connection.query("""
            SELECT id, asset_role::text, variant::text, iteration, candidate_index, is_primary_design, is_active, pending_selection,
                   archived_at, generation_status::text, error_status, error_message, selection_version, source_asset_id, job_id,
                   storage_key, width, height, byte_size, template_info::text, effective_dpi, print_quality, created_at
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
                createdAt: try row.decode(Date.self, column: "created_at"))
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
            iterations: iterations, assets: assets, jobs: jobs, ledger: ledger)
    }

    /// `left_chest: front 90×90 mm at (174, 29)`, or `none (fixed print size)`.
    static func describe(_ placement: PrintPlacement?) -> String {
        guard let placement else { return "none (fixed print size, centred mockups)" }
        func mm(_ value: Double) -> String { value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value) }
        return "\(placement.preset ?? "explicit"): \(placement.side) \(mm(placement.widthMM))×\(mm(placement.heightMM)) mm"
            + " at (\(mm(placement.xMM)), \(mm(placement.yMM))) mm"
    }

    var text: String {
        var lines = [
            "product \(id.uuidString.lowercased())",
            "  status: \(status)" + (failureReason.map { " (\($0))" } ?? ""),
            "  owner: \(owner)  type: \(productType)  colour: \(shirtColor)  iteration: \(iteration)  selection: \(selectionVersion)",
            "  placement: \(Self.describe(placement))",
            "  prompt: \(prompt)",
            "  created: \(Timestamp.format(createdAt))  updated: \(Timestamp.format(updatedAt))" + (readyAt.map { "  ready: \(Timestamp.format($0))" } ?? ""),
            "iterations (\(iterations.count)):",
        ]
        var iterationTable = Table("IT", "REQUESTED", "FEEDBACK")
        for entry in iterations {
            iterationTable.add(["\(entry.iteration)", Timestamp.format(entry.requestedAt), entry.feedback ?? "(first generation, from the prompt)"])
        }
        lines.append(indent(iterationTable.render()))
        lines.append("assets (\(assets.count)):")
        var assetTable = Table("ID", "ROLE", "VARIANT", "IT", "CAND", "SEL", "FLAGS", "STATUS", "SIZE", "DPI", "KEY")
        for asset in assets {
            var flags: [String] = []
            if asset.isPrimaryDesign { flags.append("primary") }
            if asset.isActive { flags.append("active") }
            if asset.pendingSelection { flags.append("pending") }
            if asset.archivedAt != nil { flags.append("archived") }
            let status = asset.generationStatus + (asset.errorStatus.map { " (\($0): \(asset.errorMessage ?? ""))" } ?? "")
            assetTable.add([
                asset.id.uuidString.lowercased(), asset.role, asset.variant ?? "-", asset.iteration.map(String.init) ?? "-",
                asset.candidateIndex.map(String.init) ?? "-", asset.selectionVersion.map(String.init) ?? "-",
                flags.isEmpty ? "inactive" : flags.joined(separator: ","), status,
                asset.width.map { "\($0)x\(asset.height ?? 0)" } ?? "-",
                asset.effectiveDpi.map { "\($0)" + (asset.printQuality.map { " (\($0))" } ?? "") } ?? "-", asset.storageKey ?? "-",
            ])
        }
        lines.append(indent(assetTable.render()))
        lines.append("jobs (\(jobs.count)):")
        var jobTable = Table("ID", "KIND", "STATE", "ATTEMPTS", "SEL", "LAST ERROR")
        for job in jobs {
            jobTable.add([
                job.id.uuidString.lowercased(), job.kind, job.state, "\(job.attempts)", job.selectionVersion.map(String.init) ?? "-",
                job.lastError.map { String($0.prefix(80)) } ?? "-",
            ])
        }
        lines.append(indent(jobTable.render()))
        lines.append("credit ledger (\(ledger.count)):")
        var ledgerTable = Table("TIME", "KIND", "AMOUNT", "RESERVATION", "NOTE")
        for entry in ledger {
            ledgerTable.add([
                Timestamp.format(entry.createdAt), entry.kind, "\(entry.amount)",
                entry.reservationId.map { String($0.uuidString.lowercased().prefix(8)) } ?? "-", entry.note ?? "",
            ])
        }
        lines.append(indent(ledgerTable.render()))
        return lines.joined(separator: "\n")
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
