#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders logfmt (`key=value key="two words"`), one record per line, for journald.
///
/// Values are quoted when they are empty or contain a space, `=`, `"` or any control or
/// non-ASCII-printable character; inside quotes `\` and `"` are escaped and newlines, tabs and
/// other control characters become escapes, so one record is always exactly one line.
enum Logfmt {
    /// Appends ` key=value` (no leading space when `line` is empty).
    static func append(_ key: String, _ value: String, to line: inout String) {
        if !line.isEmpty { line += " " }
        line += sanitizedKey(key)
        line += "="
        line += quotedIfNeeded(value)
    }

    /// Keys cannot be quoted in logfmt: characters that would break the pair become `_`.
    static func sanitizedKey(_ key: String) -> String {
        guard !key.isEmpty else { return "_" }
        guard key.unicodeScalars.contains(where: { !isPlainKeyScalar($0) }) else { return key }
        return String(String.UnicodeScalarView(key.unicodeScalars.map { isPlainKeyScalar($0) ? $0 : "_" }))
    }

    static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { !isPlainValueScalar($0) }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            // Other C0/C1 controls and the Unicode line separators would split or garble the line.
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}":
                quoted += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default:
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// The metadata as sorted `key=value` pairs; nested dictionaries become dotted keys so
    /// every value stays greppable (`http.status=503`), arrays render as `[a,b]`.
    static func flatten(_ metadata: [String: MetadataLeaf]) -> [(String, String)] {
        var pairs: [(String, String)] = []
        func walk(_ prefix: String, _ value: MetadataLeaf) {
            switch value {
            case .text(let text): pairs.append((prefix, text))
            case .list(let items): pairs.append((prefix, "[" + items.map(render).joined(separator: ",") + "]"))
            case .map(let entries):
                for (key, value) in entries { walk(prefix + "." + key, value) }
            }
        }
        for (key, value) in metadata { walk(key, value) }
        return pairs.sorted { $0.0 < $1.0 }
    }

    /// A metadata value, independent of swift-log so the formatting is tested on its own.
    indirect enum MetadataLeaf: Sendable, Equatable {
        case text(String)
        case list([MetadataLeaf])
        case map([String: MetadataLeaf])
    }

    private static func render(_ value: MetadataLeaf) -> String {
        switch value {
        case .text(let text): text
        case .list(let items): "[" + items.map(render).joined(separator: ",") + "]"
        case .map(let entries): "[" + entries.sorted { $0.key < $1.key }.map { "\($0.key): \(render($0.value))" }.joined(separator: ",") + "]"
        }
    }

    private static func isPlainKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value > 0x20 && scalar.value < 0x7F && scalar != "=" && scalar != "\""
    }

    private static func isPlainValueScalar(_ scalar: Unicode.Scalar) -> Bool {
        // Non-ASCII text is fine unquoted in logfmt, but quoting it keeps parsers simple
        // and costs nothing in readability.
        scalar.value > 0x20 && scalar.value < 0x7F && scalar != "=" && scalar != "\"" && scalar != "\\"
    }

    /// `2026-01-31T12:34:56.789Z` (UTC, milliseconds) without Foundation's formatters, which
    /// are slow and not meant to be shared between threads.
    static func timestamp(seconds: Int, nanoseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { String(value).leftPadded(to: 2) }
        return String(parts.tm_year + 1900) + "-" + two(parts.tm_mon + 1) + "-" + two(parts.tm_mday)
            + "T" + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec)
            + "." + String(nanoseconds / 1_000_000).leftPadded(to: 3) + "Z"
    }

    /// The wall-clock time now, for ``timestamp(seconds:nanoseconds:)``.
    static func now() -> (seconds: Int, nanoseconds: Int) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return (Int(spec.tv_sec), Int(spec.tv_nsec))
    }
}
