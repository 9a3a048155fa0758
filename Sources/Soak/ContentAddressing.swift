import Foundation
import Postgres

/// What content addressing saved in a run's data (issue 20), in two parts: the asset rows of
/// products made from the library, which name the library's blobs instead of holding copies,
/// and the asset rows of the products whose designs were saved, whose identical contents
/// (the same image saved twice) are stored once. Then all of it against every asset object.
enum ContentAddressing {
    static func line(conninfo: String) throws -> String {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let row = try connection.query("""
            WITH shared AS (
                SELECT a.byte_size, p.library_design_id IS NOT NULL AS reused, a.product_id
                FROM product_assets a JOIN products p ON p.id = a.product_id
                WHERE a.blob_sha256 IS NOT NULL
            )
            SELECT (SELECT count(*) FROM shared WHERE reused) AS reused_rows,
                   (SELECT count(DISTINCT product_id) FROM shared WHERE reused) AS reused_products,
                   (SELECT COALESCE(sum(byte_size), 0) FROM shared WHERE reused)::bigint AS reused_bytes,
                   (SELECT count(*) FROM shared WHERE NOT reused) AS saved_rows,
                   (SELECT COALESCE(sum(byte_size), 0) FROM shared WHERE NOT reused)::bigint AS saved_bytes,
                   (SELECT count(*) FROM blobs) AS blobs,
                   (SELECT COALESCE(sum(byte_size), 0) FROM blobs)::bigint AS blob_bytes,
                   (SELECT count(*) FROM product_assets WHERE storage_key IS NOT NULL) AS stored_rows,
                   (SELECT COALESCE(sum(byte_size), 0)
                      FROM (SELECT DISTINCT storage_key, byte_size FROM product_assets WHERE storage_key IS NOT NULL) d)::bigint AS stored_bytes
            """)[0]
        func int(_ column: String) throws -> Int64 { try row.decode(Int64.self, column: column) }
        let reusedBytes = try int("reused_bytes"), savedBytes = try int("saved_bytes"), blobBytes = try int("blob_bytes")
        let referenced = reusedBytes + savedBytes
        let ratio = blobBytes > 0 ? String(format: "%.2f", Double(referenced) / Double(blobBytes)) : "-"
        return "content addressing: \(try int("reused_rows")) asset rows of \(try int("reused_products")) products made from the library "
            + "name its blobs (\(megabytes(reusedBytes)) not copied); \(try int("saved_rows")) asset rows of the products whose designs were saved "
            + "name \(try int("blobs")) blobs (\(megabytes(savedBytes)) of objects stored as \(megabytes(blobBytes)): identical images once); "
            + "in all \(megabytes(referenced)) referenced, \(megabytes(blobBytes)) stored (\(ratio)×); "
            + "every asset object of the run: \(megabytes(try int("stored_bytes"))) for \(try int("stored_rows")) asset rows"
    }

    private static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
