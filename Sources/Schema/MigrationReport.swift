/// What one `migrate` run did.
public struct MigrationReport: Sendable {
    public struct AppliedFile: Sendable {
        public var name: String
        public var statements: Int
        public var duration: Duration
    }

    /// Files applied by this run, in order.
    public var applied: [AppliedFile] = []
    /// Files that were already applied before this run.
    public var alreadyApplied: [String] = []

    public init() {}

    /// Lines for an operator's terminal.
    public var summary: [String] {
        var lines = applied.map { file in
            "applied \(file.name) (\(file.statements) statements, \(Int((file.duration / .milliseconds(1)).rounded())) ms)"
        }
        if applied.isEmpty {
            lines.append("nothing to apply: \(alreadyApplied.count) migration(s) already applied"
                + (alreadyApplied.last.map { ", latest \($0)" } ?? ""))
        }
        return lines
    }
}
