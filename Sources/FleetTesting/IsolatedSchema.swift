/// Per-test isolation in one database: each test works in its own schema, chosen by the
/// connection's `search_path`, so tests run in parallel without seeing each other's rows.
public enum IsolatedSchema {
    /// `conninfo` (URL or key=value form) with `search_path` set to `schema`.
    public static func conninfo(_ conninfo: String, schema: String) -> String {
        precondition(schema.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "schema names here are plain identifiers")
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") {
            let separator = conninfo.contains("?") ? "&" : "?"
            return conninfo + separator + "options=-csearch_path%3D" + schema
        }
        return conninfo + " options='-csearch_path=\(schema)'"
    }
}
