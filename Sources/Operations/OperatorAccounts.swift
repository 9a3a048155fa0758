import Accounts
public import Foundation
public import Postgres

/// The console's operators: created, listed, disabled and given new passwords by `itp-admin
/// operators`. A password is returned once (only its scrypt hash is stored); disabling or a
/// new password ends the operator's sessions.
public enum OperatorAccounts {
    public struct Operator: Sendable, Encodable {
        public var id: UUID
        public var name: String
        public var readOnly: Bool
        public var createdAt: Date
        public var disabledAt: Date?
        public var sessions: Int
    }

    /// `a-z 0-9 . _ @ -`, 1 to 64 characters, starting with a letter or digit; nil otherwise.
    public static func validName(_ raw: String) -> String? {
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard name.wholeMatch(of: /[a-z0-9][a-z0-9._@-]{0,63}/) != nil else { return nil }
        return name
    }

    /// 20 characters of base-36 (about 103 bits).
    public static func newPassword() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Creates the operator; false when the name is taken.
    public static func create(name: String, password: String, readOnly: Bool, logN: Int? = nil,
                              on connection: PostgresConnection) throws -> Bool {
        let hash = try PasswordHash.make(password: password, logN: logN ?? PasswordHash.defaultLogN).encoded
        return try connection.execute("""
            INSERT INTO operators (name, password_hash, read_only) VALUES (\(name), \(hash), \(readOnly))
            ON CONFLICT ON CONSTRAINT operators_name_unique DO NOTHING
            """) == 1
    }

    public static func list(on connection: PostgresConnection) throws -> [Operator] {
        try connection.query("""
            SELECT o.id, o.name, o.read_only, o.created_at, o.disabled_at,
                   (SELECT count(*) FROM operator_sessions s WHERE s.operator_id = o.id AND s.expires_at > now())::int AS sessions
            FROM operators o ORDER BY o.name
            """).map { row in
            Operator(
                id: try row.decode(UUID.self, column: "id"), name: try row.decode(String.self, column: "name"),
                readOnly: try row.decode(Bool.self, column: "read_only"), createdAt: try row.decode(Date.self, column: "created_at"),
                disabledAt: try row.decode(Date?.self, column: "disabled_at"), sessions: try row.decode(Int.self, column: "sessions"))
        }
    }

    /// Disables the operator and ends its sessions; false when there is no enabled one of that name.
    public static func disable(name: String, on connection: PostgresConnection) throws -> Bool {
        try connection.transaction { connection in
            let count = try connection.execute("UPDATE operators SET disabled_at = now() WHERE name = \(name) AND disabled_at IS NULL")
            try connection.execute("DELETE FROM operator_sessions WHERE operator_id IN (SELECT id FROM operators WHERE name = \(name))")
            return count == 1
        }
    }

    /// A new password (enabled again, sessions ended); false when there is no such operator.
    public static func resetPassword(name: String, password: String, on connection: PostgresConnection) throws -> Bool {
        let hash = try PasswordHash.make(password: password).encoded
        return try connection.transaction { connection in
            let count = try connection.execute("UPDATE operators SET password_hash = \(hash), disabled_at = NULL WHERE name = \(name)")
            try connection.execute("DELETE FROM operator_sessions WHERE operator_id IN (SELECT id FROM operators WHERE name = \(name))")
            return count == 1
        }
    }
}
