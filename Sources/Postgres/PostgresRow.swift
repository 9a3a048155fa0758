/// One row of a ``PostgresRows`` result, decoded by column index or name.
public struct PostgresRow: Sendable {
    let metadata: ColumnMetadata
    let values: [String?]

    /// Column names, in result order.
    public var columns: [String] { metadata.names }

    /// The raw text of a column, `nil` for NULL.
    public func text(at index: Int) -> String? { values[index] }

    /// Decodes column `index` (0-based). NULL decodes only into `Optional`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws -> T {
        guard values.indices.contains(index) else {
            throw PostgresError(
                code: .decoding, column: "#\(index)",
                message: "the result has \(values.count) columns, there is no column \(index)")
        }
        let column = metadata.names[index]
        do {
            guard let text = values[index] else { return try T.postgresNull(column: column) }
            return try T(postgresText: text, column: column)
        } catch let error as PostgresError {
            throw error
        } catch {
            throw PostgresError(
                code: .decoding, column: column,
                message: "\(error) (column type \(SQLTypeName.name(for: metadata.typeOIDs[index])), Swift type \(T.self))")
        }
    }

    /// Decodes the column called `name` (the first one, if several share it).
    public func decode<T: PostgresDecodable>(_ type: T.Type, column name: String) throws -> T {
        guard let index = metadata.indexByName[name] else {
            throw PostgresError(code: .decoding, column: name, message: "the result has no such column")
        }
        return try decode(type, at: index)
    }

    /// Decodes the value of a one-column result (`SELECT count(*)`, `RETURNING id`). A result
    /// with more columns is an error: name the column instead (``decode(_:column:)``).
    public func decode<T: PostgresDecodable>(_ type: T.Type) throws -> T {
        guard values.count == 1 else {
            throw PostgresError(
                code: .decoding, column: metadata.names.first ?? "#0",
                message: "the result has \(values.count) columns, not one: decode by column name")
        }
        return try decode(type, at: 0)
    }

    /// Decodes the leading columns in order: `let (id, name) = try row.decode((UUID, String).self)`.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws -> (repeat each T) {
        var index = 0
        func next<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value {
            defer { index += 1 }
            return try decode(type, at: index)
        }
        return (repeat try next((each T).self))
    }
}
