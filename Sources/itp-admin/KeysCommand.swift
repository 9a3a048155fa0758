import ArgumentParser
import Foundation
import Postgres
import Settings

/// `itp-admin keys create|revoke|list`: API keys of the intake (`itp_<prefix>_<secret>`).
/// Only the prefix and `sha256(secret)` are stored; the full key is printed once, at creation.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, revoke and list intake API keys.",
        subcommands: [Create.self, Revoke.self, List.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key for an owner (the owner is created if new) and print it once.")

        @OptionGroup var options: DaemonOptions
        @Option(help: "The owner's name (1–200 characters).") var owner: String
        @Option(help: "A note to tell keys apart.") var label: String?

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin keys create")
            guard (1...200).contains(owner.count) else { throw ValidationError("--owner must be 1 to 200 characters") }
            let prefix = KeyMaterial.random(count: 12), secret = KeyMaterial.random(count: 40)
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let ownerID = try AdminFailure.report {
                try connection.transaction { connection in
                    let id = try connection.query("""
                        INSERT INTO owners (name) VALUES (\(owner))
                        ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id
                        """)[0].decode(UUID.self)
                    try connection.execute("""
                        INSERT INTO api_keys (owner_id, prefix, secret_sha256, label)
                        VALUES (\(id), \(prefix), sha256(convert_to(\(secret), 'UTF8')), \(label))
                        """)
                    return id
                }
            }
            print("owner: \(owner) (\(ownerID.uuidString.lowercased()))")
            print("prefix: \(prefix)")
            print("key: itp_\(prefix)_\(secret)")
            print("Store the key now: it cannot be shown again.")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key by its prefix.")

        @OptionGroup var options: DaemonOptions
        @Argument(help: "The key's prefix (the part after 'itp_').") var prefix: String

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin keys revoke")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let revoked = try AdminFailure.report {
                try connection.execute("UPDATE api_keys SET revoked_at = now() WHERE prefix = \(prefix) AND revoked_at IS NULL")
            }
            guard revoked == 1 else {
                AdminFailure.fail("no active key with prefix \(prefix)", code: 1)
            }
            print("revoked \(prefix)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys (never their secrets).")

        @OptionGroup var options: DaemonOptions
        @Option(help: "Only this owner's keys.") var owner: String?
        @Flag(help: "Include revoked keys.") var all = false
        @Flag(help: "Print JSON for scripts.") var json = false

        struct Key: Encodable {
            var prefix: String
            var owner: String
            var label: String
            var created: String
            var lastUsed: String
            var revoked: String
        }

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin keys list")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let rows = try AdminFailure.report {
                try connection.query("""
                    SELECT k.prefix, o.name, COALESCE(k.label, ''), to_char(k.created_at, 'YYYY-MM-DD HH24:MI'),
                           COALESCE(to_char(k.last_used_at, 'YYYY-MM-DD HH24:MI'), 'never'),
                           COALESCE(to_char(k.revoked_at, 'YYYY-MM-DD HH24:MI'), '')
                    FROM api_keys k JOIN owners o ON o.id = k.owner_id
                    WHERE (\(owner)::text IS NULL OR o.name = \(owner)) AND (\(all)::boolean OR k.revoked_at IS NULL)
                    ORDER BY o.name, k.created_at
                    """)
            }
            let keys = try rows.map { row in
                let (prefix, owner, label, created, lastUsed, revoked) = try row.decode((String, String, String, String, String, String).self)
                return Key(prefix: prefix, owner: owner, label: label, created: created, lastUsed: lastUsed, revoked: revoked)
            }
            if json {
                try AdminJSON.print(keys)
                return
            }
            print("PREFIX\tOWNER\tLABEL\tCREATED\tLAST USED\tREVOKED")
            for key in keys {
                print([key.prefix, key.owner, key.label, key.created, key.lastUsed, key.revoked].joined(separator: "\t"))
            }
        }
    }
}

/// Random lower-case base-36 text from the system's cryptographic generator
/// (`SystemRandomNumberGenerator`: getrandom(2) on Linux).
enum KeyMaterial {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    static func random(count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
