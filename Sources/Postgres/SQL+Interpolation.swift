extension SQL {
    /// Collects literal text and parameters while a `SQL` literal is built.
    public struct StringInterpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            fragments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            fragments.append(.text(literal))
        }

        /// Binds `value` as the next `$N` parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            fragments.append(.bind(PostgresBind(value)))
        }

        /// Binds an optional value; `nil` binds SQL NULL. (A separate overload so the
        /// compiler does not warn about interpolating an optional.)
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            fragments.append(.bind(PostgresBind(value)))
        }

        /// Splices another statement fragment; its parameters are renumbered.
        public mutating func appendInterpolation(_ fragment: SQL) {
            fragments += fragment.fragments
        }

        /// Splices a double-quoted identifier, e.g. `\(identifier: schema, "jobs")` →
        /// `"schema_x"."jobs"`. Embedded quotes are doubled, so any string is safe.
        public mutating func appendInterpolation(identifier parts: String...) {
            fragments.append(.text(parts.map(SQL.quoteIdentifier).joined(separator: ".")))
        }

        /// Splices raw text. Only for trusted constants (keywords chosen in code), never input.
        public mutating func appendInterpolation(unescaped text: String) {
            fragments.append(.text(text))
        }
    }

    /// `"name"` with embedded double quotes doubled.
    static func quoteIdentifier(_ name: String) -> String {
        var quoted = "\""
        for character in name {
            quoted.append(character)
            if character == "\"" { quoted.append(character) }
        }
        return quoted + "\""
    }
}
