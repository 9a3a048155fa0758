public import Postgres

extension PrintPlacement {
    /// Reads a `placement::text` column (`products.placement`): `nil` for a product made
    /// without placements (before them, or a type whose catalogue declares none).
    public static func decode(_ row: PostgresRow, column: String = "placement") throws -> PrintPlacement? {
        guard let text = try row.decode(String?.self, column: column) else { return nil }
        return try PostgresJSON(text: text).decode(PrintPlacement.self)
    }
}
