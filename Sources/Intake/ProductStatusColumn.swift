import JobRuntime
import Postgres
import ProductFlow

/// Decodes a `status::text` column into ``ProductStatus``.
enum ProductStatusColumn {
    static func decode(_ row: PostgresRow, column: String = "status") throws -> ProductStatus {
        let text = try row.decode(String.self, column: column)
        guard let status = ProductStatus(rawValue: text) else {
            throw IntakeError.unexpected("unknown product status '\(text)'")
        }
        return status
    }
}
