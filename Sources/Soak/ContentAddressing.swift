import Foundation
import Postgres

/// What content addressing saved in a run's data (issue 20): the asset rows that name a
/// shared blob (the library's designs on every product made from them, and the products they
/// were saved from) against the blobs stored once each.
enum ContentAddressing {
    static func line(conninfo: String) throws -> String {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let row = try connection.query("""
            SELECT (SELECT count(*) FROM product_assets WHERE blob_sha256 IS NOT NULL) AS shared_rows,
                   (SELECT COALESCE(sum(byte_size), 0) FROM product_assets WHERE blob_sha256 IS NOT NULL)::bigint AS shared_bytes,
                   (SELECT count(*) FROM blobs) AS blobs,
                   (SELECT COALESCE(sum(byte_size), 0) FROM blobs)::bigint AS blob_bytes,
                   (SELECT count(*) FROM product_assets WHERE storage_key IS NOT NULL) AS stored_rows,
                   (SELECT COALESCE(sum(byte_size), 0)
                      FROM (SELECT DISTINCT storage_key, byte_size FROM product_assets WHERE storage_key IS NOT NULL) d)::bigint AS stored_bytes
            """)[0]
        let sharedRows = try row.decode(Int.self, column: "shared_rows"), blobs = try row.decode(Int.self, column: "blobs")
        let sharedBytes = try row.decode(Int64.self, column: "shared_bytes"), blobBytes = try row.decode(Int64.self, column: "blob_bytes")
        let storedRows = try row.decode(Int.self, column: "stored_rows"), storedBytes = try row.decode(Int64.self, column: "stored_bytes")
        let saved = sharedBytes - blobBytes
        let ratio = blobBytes > 0 ? String(format: "%.2f", Double(sharedBytes) / Double(blobBytes)) : "-"
        return "content addressing: \(sharedRows) asset rows name \(blobs) blobs — \(megabytes(sharedBytes)) if each row had its own object, "
            + "\(megabytes(blobBytes)) stored, \(megabytes(saved)) saved (\(ratio)×); "
            + "every asset object of the run: \(megabytes(storedBytes)) for \(storedRows) asset rows"
    }

    private static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
