import JobRuntime
import Postgres
import ProductFlow

/// Decodes a `status::text` column into ``ProductStatus``.
enum ProductStatusColumn {
    static func decode(_ row: PostgresRow, at index: Int) throws -> ProductStatus {
        let text = try row.decode(String.self, at: index)
        guard let status = ProductStatus(rawValue: text) else {
            throw IntakeError.unexpected("unknown product status '\(text)'")
        }
        return status
    }
}
