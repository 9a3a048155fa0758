import ArgumentParser
import Foundation
import Postgres
import Settings

/// `itp-admin library list --owner SHOP`: a shop's design library as operators inspect it.
struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Inspect shops' design libraries.",
        subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a shop's library designs: versions, where each came from, products made from it, blob bytes.",
            discussion: "Exit codes: 0 success; 1 no such owner; 69 the database is unreachable.")

        @OptionGroup var options: DaemonOptions
        @Option(help: "The shop (owner name).") var owner: String
        @Flag(help: "Print JSON for scripts.") var json = false

        struct Entry: Encodable {
            var id: UUID
            var name: String
            var tags: [String]
            var archived: Bool
            var latestVersion: Int
            var sourceProductId: UUID?
            var prompt: String
            var provider: String?
            var model: String?
            /// Products made from it: all, and those not cancelled or failed.
            var products: Int
            var liveProducts: Int
            /// Bytes of its distinct blobs (every version's variants).
            var blobBytes: Int64
            var createdAt: Date
        }

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin library list")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let owner = self.owner
            let entries: [Entry]? = try AdminFailure.report {
                guard let ownerID = try connection.query("SELECT id FROM owners WHERE name = \(owner)").first?
                    .decode(UUID.self, column: "id") else { return nil }
                return try connection.query("""
                    SELECT d.id, d.name, d.tags, d.archived_at IS NOT NULL AS archived, d.created_at,
                           v.version, v.source_product_id, v.prompt, v.provider, v.model,
                           (SELECT count(*) FROM products p WHERE p.library_design_id = d.id)::int AS products,
                           (SELECT count(*) FROM products p WHERE p.library_design_id = d.id
                              AND p.status NOT IN ('cancelled', 'failed'))::int AS live_products,
                           (SELECT COALESCE(sum(b.byte_size), 0) FROM blobs b WHERE b.sha256 IN (
                               SELECT lv.blob_sha256 FROM library_design_variants lv
                               JOIN library_design_versions x ON x.id = lv.version_id WHERE x.design_id = d.id))::bigint AS blob_bytes
                    FROM library_designs d
                    JOIN LATERAL (SELECT * FROM library_design_versions x WHERE x.design_id = d.id ORDER BY version DESC LIMIT 1) v ON true
                    WHERE d.owner_id = \(ownerID)
                    ORDER BY d.created_at DESC, d.id
                    """).map { row in
                    Entry(
                        id: try row.decode(UUID.self, column: "id"), name: try row.decode(String.self, column: "name"),
                        tags: try row.decode([String].self, column: "tags"), archived: try row.decode(Bool.self, column: "archived"),
                        latestVersion: try row.decode(Int.self, column: "version"),
                        sourceProductId: try row.decode(UUID?.self, column: "source_product_id"),
                        prompt: try row.decode(String.self, column: "prompt"), provider: try row.decode(String?.self, column: "provider"),
                        model: try row.decode(String?.self, column: "model"), products: try row.decode(Int.self, column: "products"),
                        liveProducts: try row.decode(Int.self, column: "live_products"),
                        blobBytes: try row.decode(Int64.self, column: "blob_bytes"), createdAt: try row.decode(Date.self, column: "created_at"))
                }
            }
            guard let entries else { AdminFailure.fail("no owner \(owner)", code: 1) }
            if json {
                try AdminJSON.print(entries)
                return
            }
            var table = Table("ID", "NAME", "TAGS", "VER", "STATE", "PRODUCTS", "LIVE", "BYTES", "SOURCE", "MADE BY", "PROMPT")
            for entry in entries {
                table.add([
                    entry.id.uuidString.lowercased(), entry.name, entry.tags.joined(separator: ","), "\(entry.latestVersion)",
                    entry.archived ? "archived" : "active", "\(entry.products)", "\(entry.liveProducts)", "\(entry.blobBytes)",
                    entry.sourceProductId.map { "product \($0.uuidString.lowercased())" } ?? "-",
                    [entry.provider, entry.model].compactMap { $0 }.joined(separator: " "), String(entry.prompt.prefix(60)),
                ])
            }
            print("library of \(owner): \(entries.count) design(s)")
            print(table.render())
        }
    }
}
