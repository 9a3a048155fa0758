/// A fully materialized statement result. The libpq result is freed before this exists,
/// so rows can be kept, sent across tasks and iterated any number of times.
public struct PostgresRows: RandomAccessCollection, Sendable {
    /// Column names, in result order.
    public var columns: [String] { metadata.names }
    /// Rows affected by INSERT/UPDATE/DELETE/MERGE/SELECT/COPY/FETCH/MOVE (`PQcmdTuples`); 0 otherwise.
    public var affectedRows: Int
    /// The command tag, e.g. `INSERT 0 1` or `SELECT 3`.
    public var commandTag: String

    let metadata: ColumnMetadata
    let values: [[String?]]

    init(metadata: ColumnMetadata, values: [[String?]], affectedRows: Int, commandTag: String) {
        self.metadata = metadata
        self.values = values
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(metadata: metadata, values: values[position])
    }
}

/// Names and types of a result's columns, shared by all of its rows.
final class ColumnMetadata: Sendable {
    let names: [String]
    /// Type OIDs (`PQftype`), used to name the SQL type in decoding errors.
    let typeOIDs: [UInt32]
    let indexByName: [String: Int]

    init(names: [String], typeOIDs: [UInt32]) {
        self.names = names
        self.typeOIDs = typeOIDs
        // The first column wins for duplicate names, as in `SELECT a.id, b.id`.
        self.indexByName = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
