import ArgumentParser
import AssetImages
import Foundation
import Operations
import Postgres
import Settings
import Storage

/// `itp-admin assets cleanup`: removes old asset rows nobody can see any more, and their blobs.
struct AssetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "Clean up asset rows and blobs.",
        subcommands: [Cleanup.self])

    struct Cleanup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete archived or inactive assets older than N days: their rows, then their blobs (a dry run unless --apply).",
            discussion: """
                Eligible: assets that are not active, not the primary design and not pending the \
                shopper's selection, archived (or, if never archived, last changed) more than \
                --older-than-days ago — replaced primaries and mockups, unselected candidates, \
                superseded or failed mockups; every asset of a product cancelled more than \
                --older-than-days ago; and the candidates of a draft abandoned before selection \
                (a product still awaiting_selection, unchanged for --older-than-days: its designs \
                pending selection go, the product row and its open credit reservation stay). An \
                asset that a kept asset was made from is kept. Note that an archived design can no \
                longer be re-selected once it is deleted.

                Rows are deleted first (one transaction), then the blobs: a blob whose deletion fails \
                is only an orphan in storage, never a row pointing at nothing. Without --apply nothing \
                is deleted and the candidates are listed.

                Content-addressed blobs (the design library's, and the products made from it) are \
                shared: an asset row that names one goes, its object stays. A blob goes only when no \
                library design and no asset references it — its row is deleted through the schema, \
                whose foreign keys refuse a blob still in use — and then its object.

                Exit codes: 0 success; 1 some blob could not be deleted; 69 the database is unreachable.
                """ + "\n\n" + DaemonSettings.helpSection())

        @OptionGroup var options: DaemonOptions
        @Option(help: "Only assets archived (or last changed) more than this many days ago.") var olderThanDays: Int
        @Flag(help: "Delete (default: a dry run that lists the candidates).") var apply = false
        @Option(help: "At most this many assets per run.") var limit = 10_000
        @Flag(help: "Print JSON for scripts.") var json = false

        struct Candidate: Encodable, Sendable {
            var id: UUID
            var productId: UUID
            var role: String
            var storageKey: String?
            /// Set when the asset's object is a shared, content-addressed blob: it goes only
            /// with the blob's own row, when nothing references it (``BlobCleanup``).
            var sharedBlob: Bool
            var byteSize: Int64
            var archivedAt: Date?
            var updatedAt: Date
        }

        struct Report: Encodable {
            var dryRun: Bool
            var olderThanDays: Int
            var assets: [Candidate]
            /// Content-addressed blobs no library design or asset references any more.
            var blobs: [BlobCleanup.Candidate]
            var bytes: Int64
            var blobsDeleted: Int
            var blobErrors: [String]
        }

        func validate() throws {
            guard olderThanDays >= 0 else { throw ValidationError("--older-than-days must not be negative") }
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin assets cleanup")
            let database = AdminConnection.client(settings)
            let days = olderThanDays, limit = self.limit, apply = self.apply
            let candidates: [Candidate], blobs: [BlobCleanup.Candidate]
            do {
                (candidates, blobs) = try await database.withConnection { connection in
                    try connection.transaction { connection in
                        let found = try Self.candidates(days: days, limit: limit, on: connection)
                        let unreferenced = try BlobCleanup.candidates(leaving: found.map(\.id), limit: limit, on: connection)
                        guard apply else { return (found, unreferenced) }
                        guard !found.isEmpty else { return ([], try BlobCleanup.delete(unreferenced, on: connection)) }
                        let ids = found.map(\.id)
                        // Re-checked under the delete: something re-selected meanwhile is no longer eligible.
                        let deleted = try connection.query("""
                            DELETE FROM product_assets a USING products p
                            WHERE a.id = ANY(\(ids)) AND p.id = a.product_id AND \(Self.eligible(days: days))
                            RETURNING a.id
                            """).map { try $0.decode(UUID.self) }
                        let blobs = try BlobCleanup.delete(
                            try BlobCleanup.candidates(leaving: [], limit: limit, on: connection), on: connection)
                        // Audited with the rows' delete (the blobs follow it, outside the database).
                        try AuditLog.record(
                            AdminActor.current, action: "assets.cleanup", selection: "{\"older_than_days\":\(days),\"limit\":\(limit)}",
                            dryRun: "{\"candidates\":\(found.count)}", result: "deleted \(deleted.count) asset row(s), \(blobs.count) blob(s)",
                            counts: AuditLog.Counts(succeeded: deleted.count, skipped: found.count - deleted.count), on: connection)
                        return (found.filter { deleted.contains($0.id) }, blobs)
                    }
                }
            } catch {
                AdminFailure.handle(error)
            }
            await database.shutdown()
            var report = Report(
                dryRun: !apply, olderThanDays: days, assets: candidates, blobs: blobs,
                bytes: candidates.filter { !$0.sharedBlob }.reduce(0) { $0 + $1.byteSize } + blobs.reduce(0) { $0 + $1.byteSize },
                blobsDeleted: 0, blobErrors: [])
            if apply {
                let storage = StorageFactory.make(settings.storage)
                let images = AssetImageStore(storage: storage)
                let keys = candidates.filter { !$0.sharedBlob }.compactMap(\.storageKey) + blobs.map(\.storageKey)
                for key in keys {
                    do {
                        try await storage.delete(try StorageKey(key))
                        // Its thumbnails, if a page ever asked for them (deleting a missing one is no error).
                        try await images.deleteThumbnails(of: key)
                        report.blobsDeleted += 1
                    } catch {
                        report.blobErrors.append("\(key): \(error)")
                    }
                }
            }
            if json {
                try AdminJSON.print(report)
            } else {
                let verb = apply ? "deleted" : "would delete"
                for candidate in candidates {
                    print("\(verb) \(candidate.id.uuidString.lowercased()) \(candidate.role) of product \(candidate.productId.uuidString.lowercased())"
                        + " (\(candidate.storageKey ?? "no blob")\(candidate.sharedBlob ? ", a shared blob" : ""), \(candidate.byteSize) bytes)")
                }
                for blob in blobs {
                    print("\(verb) blob \(blob.sha256) (\(blob.storageKey), \(blob.byteSize) bytes): nothing references it")
                }
                print("\(verb) \(candidates.count) asset row(s)" + (blobs.isEmpty ? "" : " and \(blobs.count) shared blob(s)") + ", \(report.bytes) bytes of blobs older than \(days) day(s)"
                    + (apply ? "; \(report.blobsDeleted) blob(s) deleted" : "; run again with --apply to delete"))
                for error in report.blobErrors { print("blob not deleted: \(error)") }
            }
            if !report.blobErrors.isEmpty { throw ExitCode(1) }
        }

        /// Whether asset `a` of product `p` may go (the rules of the discussion above): the
        /// listing and the delete's re-check under the lock use this one predicate.
        static func eligible(days: Int) -> SQL {
            """
            ((NOT a.is_active AND NOT a.is_primary_design AND NOT a.pending_selection
              AND COALESCE(a.archived_at, a.updated_at) < now() - make_interval(days => \(days))
              -- A library sync under way: its staged design and mockups wait for the swap.
              AND (p.sync_design_asset_id IS NULL
                   OR (a.id <> p.sync_design_asset_id AND a.source_asset_id IS DISTINCT FROM p.sync_design_asset_id)))
             OR (p.status = 'cancelled' AND p.updated_at < now() - make_interval(days => \(days)))
             OR (p.status = 'awaiting_selection' AND a.asset_role = 'design' AND a.pending_selection
                 AND p.updated_at < now() - make_interval(days => \(days))
                 AND a.updated_at < now() - make_interval(days => \(days))))
            """
        }

        static func candidates(days: Int, limit: Int, on connection: PostgresConnection) throws -> [Candidate] {
            try connection.query("""
                WITH eligible AS (
                    SELECT a.id FROM product_assets a JOIN products p ON p.id = a.product_id
                    WHERE \(eligible(days: days))
                    ORDER BY COALESCE(a.archived_at, a.updated_at) LIMIT \(limit)
                )
                SELECT a.id, a.product_id, a.asset_role::text, a.storage_key, a.blob_sha256 IS NOT NULL AS shared_blob,
                       COALESCE(a.byte_size, 0) AS byte_size, a.archived_at, a.updated_at
                FROM product_assets a JOIN eligible e ON e.id = a.id
                WHERE NOT EXISTS (SELECT 1 FROM product_assets r
                                  WHERE r.source_asset_id = a.id AND r.id NOT IN (SELECT id FROM eligible))
                ORDER BY a.product_id, a.created_at
                FOR UPDATE OF a
                """).map { row in
                Candidate(
                    id: try row.decode(UUID.self, column: "id"), productId: try row.decode(UUID.self, column: "product_id"),
                    role: try row.decode(String.self, column: "asset_role"), storageKey: try row.decode(String?.self, column: "storage_key"),
                    sharedBlob: try row.decode(Bool.self, column: "shared_blob"), byteSize: try row.decode(Int64.self, column: "byte_size"), archivedAt: try row.decode(Date?.self, column: "archived_at"),
                    updatedAt: try row.decode(Date.self, column: "updated_at"))
            }
        }
    }
}
