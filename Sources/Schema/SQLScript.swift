/// Splits a migration file into its statements so that a failure can name the statement
/// (and its line) that failed, not just the file.
///
/// It understands what can hide a `;`: single-quoted strings (with `''` and, for `E'…'`,
/// backslash escapes), double-quoted identifiers, dollar-quoted bodies (`$$…$$`,
/// `$tag$…$tag$`), line comments and nested block comments.
public struct SQLScript: Sendable {
    public struct Statement: Sendable, Equatable {
        /// The statement text without its terminating `;`, trimmed.
        public var text: String
        /// 1-based line on which the statement starts in the file.
        public var line: Int
    }

    public var statements: [Statement]

    public init(_ source: String) {
        statements = SQLScript.split(Array(source.unicodeScalars))
    }

    private static func split(_ s: [Unicode.Scalar]) -> [Statement] {
        var result: [Statement] = []
        var current = String.UnicodeScalarView()
        var line = 1
        var startLine: Int?
        var i = 0

        func append(_ scalar: Unicode.Scalar) {
            if startLine == nil, !scalar.properties.isWhitespace { startLine = line }
            current.append(scalar)
            if scalar == "\n" { line += 1 }
        }
        func appendRange(to end: Int) {
            while i < end { append(s[i]); i += 1 }
        }
        func finishStatement() {
            let text = String(current).trimmingWhitespace()
            if !text.isEmpty, !isOnlyComments(text) { result.append(Statement(text: text, line: startLine ?? line)) }
            current = String.UnicodeScalarView()
            startLine = nil
        }

        while i < s.count {
            let c = s[i]
            let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
            switch c {
            case "-" where next == "-":
                var end = i
                while end < s.count, s[end] != "\n" { end += 1 }
                // Comments are kept in the text (harmless to the server) but do not start a statement.
                let saved = startLine
                appendRange(to: end)
                startLine = saved
            case "/" where next == "*":
                var depth = 0
                var end = i
                while end < s.count {
                    if s[end] == "/", end + 1 < s.count, s[end + 1] == "*" { depth += 1; end += 2; continue }
                    if s[end] == "*", end + 1 < s.count, s[end + 1] == "/" {
                        depth -= 1; end += 2
                        if depth == 0 { break }
                        continue
                    }
                    end += 1
                }
                let saved = startLine
                appendRange(to: min(end, s.count))
                startLine = saved
            case "'":
                let backslashEscapes = i > 0 && (s[i - 1] == "E" || s[i - 1] == "e")
                var end = i + 1
                while end < s.count {
                    if backslashEscapes, s[end] == "\\" { end += 2; continue }
                    if s[end] == "'" {
                        if end + 1 < s.count, s[end + 1] == "'" { end += 2; continue }
                        end += 1
                        break
                    }
                    end += 1
                }
                appendRange(to: min(end, s.count))
            case "\"":
                var end = i + 1
                while end < s.count {
                    if s[end] == "\"" {
                        if end + 1 < s.count, s[end + 1] == "\"" { end += 2; continue }
                        end += 1
                        break
                    }
                    end += 1
                }
                appendRange(to: min(end, s.count))
            case "$":
                if let tagEnd = dollarTagEnd(s, from: i) {
                    let tag = Array(s[i...tagEnd])
                    var end = tagEnd + 1
                    var closed = false
                    while end + tag.count <= s.count {
                        if Array(s[end..<(end + tag.count)]) == tag { end += tag.count; closed = true; break }
                        end += 1
                    }
                    appendRange(to: closed ? end : s.count)
                } else {
                    append(c); i += 1
                }
            case ";":
                i += 1
                finishStatement()
            default:
                append(c); i += 1
            }
        }
        finishStatement()
        return result
    }

    /// `$tag$` or `$$` starting at `start`; returns the index of the closing `$` of the tag.
    /// A `$1` parameter reference is not a tag.
    private static func dollarTagEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var j = start + 1
        while j < s.count {
            let c = s[j]
            if c == "$" { return j }
            let isTagCharacter = c == "_" || c.properties.isAlphabetic || (j > start + 1 && ("0"..."9").contains(c))
            if !isTagCharacter { return nil }
            j += 1
        }
        return nil
    }

    private static func isOnlyComments(_ text: String) -> Bool {
        SQLScript.stripComments(text).trimmingWhitespace().isEmpty
    }

    private static func stripComments(_ text: String) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if !trimmed.hasPrefix("--") { out += line + "\n" }
        }
        return out
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
