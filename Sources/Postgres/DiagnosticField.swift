/// The `PG_DIAG_*` field codes of `postgres_ext.h`. They are character-literal macros,
/// which Swift does not import, so they are restated here (they are wire-protocol
/// constants and never change).
enum DiagnosticField {
    static let severityNonLocalized = code("V")
    static let sqlState = code("C")
    static let messagePrimary = code("M")
    static let messageDetail = code("D")
    static let messageHint = code("H")
    static let statementPosition = code("P")
    static let schemaName = code("s")
    static let tableName = code("t")
    static let columnName = code("c")
    static let constraintName = code("n")

    private static func code(_ character: Unicode.Scalar) -> Int32 { Int32(UInt8(ascii: character)) }
}
