extension PostgresError: CustomStringConvertible, CustomDebugStringConvertible {
    /// Generic text without SQL, data or server message: safe anywhere.
    public var description: String {
        switch code {
        case .server:
            return "database error (SQLSTATE \(sqlState ?? "unknown"))"
        case .connectionFailed:
            return "could not connect to the database"
        case .connectionLost:
            return "database connection lost" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
        case .connectionClosed:
            return "database connection is closed"
        case .decoding:
            // Column names are schema, not data, and `message` is ours (it never holds
            // values): naming both is what makes the error useful.
            return "cannot decode database column" + (column.map { " \"\($0)\"" } ?? "")
                + (message.map { ": \($0)" } ?? "")
        case .transactionAborted:
            return "database transaction was aborted and not committed"
        default:
            return "database error (\(code))" + (message.map { ": \($0)" } ?? "")
        }
    }

    /// Everything known about the failure, including the server's message: for logs only.
    public var debugDescription: String {
        var parts = ["code: \(code)"]
        func add(_ name: String, _ value: (some CustomStringConvertible)?) {
            if let value { parts.append("\(name): \(String(reflecting: value.description))") }
        }
        add("sqlState", sqlState)
        add("message", message)
        add("serverMessage", serverMessage)
        add("detail", detail)
        add("hint", hint)
        add("schema", schema)
        add("table", table)
        add("column", column)
        add("constraint", constraint)
        add("position", position)
        return "PostgresError(\(parts.joined(separator: ", ")))"
    }
}
