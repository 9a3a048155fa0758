import Foundation
import Postgres

/// The content-addressed blobs (`blobs`) that `assets cleanup` may remove: those no row
/// names any more. The foreign keys decide: every `library_design_variants` row and every
/// product asset with `blob_sha256` references its blob, so `DELETE FROM blobs` of a blob
/// still in use fails (23503) and that blob is kept. The listing only narrows what is tried.
enum BlobCleanup {
    struct Candidate: Encodable, Sendable {
        var sha256: String
        var storageKey: String
        var byteSize: Int64
    }

    /// Blobs that nothing but the asset rows `leaving` (about to be deleted) references.
    static func candidates(leaving: [UUID], limit: Int, on connection: PostgresConnection) throws -> [Candidate] {
        try connection.query("""
            SELECT encode(b.sha256, 'hex') AS sha256, b.storage_key, b.byte_size FROM blobs b
            WHERE NOT EXISTS (SELECT 1 FROM product_assets a WHERE a.blob_sha256 = b.sha256 AND a.id <> ALL(\(leaving)))
              AND NOT EXISTS (SELECT 1 FROM library_design_variants v WHERE v.blob_sha256 = b.sha256)
            ORDER BY b.created_at LIMIT \(limit)
            """).map { row in
            Candidate(
                sha256: try row.decode(String.self, column: "sha256"), storageKey: try row.decode(String.self, column: "storage_key"),
                byteSize: try row.decode(Int64.self, column: "byte_size"))
        }
    }

    /// Deletes each blob row the schema lets go (one savepoint each, so a blob that gained
    /// a reference meanwhile is kept and the rest go on); returns those deleted.
    static func delete(_ candidates: [Candidate], on connection: PostgresConnection) throws -> [Candidate] {
        var deleted: [Candidate] = []
        for candidate in candidates {
            try connection.execute("SAVEPOINT blob_cleanup")
            do {
                let rows = try connection.query("DELETE FROM blobs WHERE sha256 = decode(\(candidate.sha256), 'hex') RETURNING storage_key")
                try connection.execute("RELEASE SAVEPOINT blob_cleanup")
                if !rows.isEmpty { deleted.append(candidate) }
            } catch let error as PostgresError where error.sqlState == "23503" {
                // Still referenced (a foreign key refused): kept.
                try connection.execute("ROLLBACK TO SAVEPOINT blob_cleanup")
            }
        }
        return deleted
    }
}
