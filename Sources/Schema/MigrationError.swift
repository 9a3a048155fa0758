/// Why migrating stopped. The description names the file and, for a failed statement,
/// its number and line, plus the server's message — this is an operator tool, so unlike
/// HTTP errors it shows the details the operator needs.
public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }
        public static let directoryUnreadable = Code(name: "directory_unreadable")
        public static let badFileName = Code(name: "bad_file_name")
        public static let statementFailed = Code(name: "statement_failed")
        public static let changedAfterApply = Code(name: "changed_after_apply")
        public static let unknownVersionApplied = Code(name: "unknown_version_applied")
    }

    public var code: Code
    public var description: String
    /// The file that failed, when one did.
    public var file: String?
    /// 1-based number of the failing statement within the file.
    public var statementNumber: Int?
    /// 1-based line where the failing statement starts.
    public var line: Int?
    /// SQLSTATE of the server's error, when the server reported one.
    public var sqlState: String?

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
