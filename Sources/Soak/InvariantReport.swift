/// What the checks found: a line per check (what was counted) and every violation.
public struct InvariantReport: Sendable, CustomStringConvertible {
    public var lines: [String] = []
    public var violations: [String] = []

    public var isClean: Bool { violations.isEmpty }

    mutating func check(_ name: String, _ problems: [String], ok: String) {
        if problems.isEmpty {
            lines.append("ok    \(name): \(ok)")
        } else {
            lines.append("FAIL  \(name): \(problems.count) violation(s)")
            violations += problems.prefix(20).map { "\(name): \($0)" }
            if problems.count > 20 { violations.append("\(name): … and \(problems.count - 20) more") }
        }
    }

    mutating func info(_ line: String) { lines.append("info  \(line)") }

    public var description: String {
        (lines + (violations.isEmpty ? ["ALL INVARIANTS HOLD"] : ["VIOLATIONS:"] + violations.map { "  - \($0)" }))
            .joined(separator: "\n")
    }
}
