/// A statement whose interpolated values are bound parameters, never SQL text.
///
/// ```swift
/// let sql: SQL = "SELECT * FROM products WHERE id = \(id) AND owner = \(owner)"
/// // text: "SELECT * FROM products WHERE id = $1 AND owner = $2", binds: [id, owner]
/// ```
///
/// `\(identifier: name)` splices a double-quoted identifier (for generated schema and
/// table names), `\(unescaped: text)` splices trusted constant text, and `\(otherSQL)`
/// splices a fragment together with its parameters (renumbered).
public struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation {
    enum Fragment: Sendable, Hashable {
        case text(String)
        case bind(PostgresBind)
    }

    var fragments: [Fragment]

    /// The statement text with `$1`, `$2`… placeholders.
    public var text: String {
        var text = ""
        var number = 0
        for fragment in fragments {
            switch fragment {
            case .text(let literal):
                text += literal
            case .bind:
                number += 1
                text += "$\(number)"
            }
        }
        return text
    }

    /// The parameters, in placeholder order.
    public var binds: [PostgresBind] {
        fragments.compactMap { fragment in
            if case .bind(let bind) = fragment { return bind }
            return nil
        }
    }

    public init(stringLiteral value: String) {
        fragments = [.text(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        fragments = stringInterpolation.fragments
    }

    /// Concatenates two statements; parameters are renumbered.
    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.fragments += rhs.fragments
        return result
    }
}
