import Accounts
import ArgumentParser
import Foundation
import Postgres
import Settings

/// `itp-admin users create|list|disable|reset-password`: the people who sign in to the builder.
/// A user belongs to one shop (owner) and sees only its products. A password is printed once,
/// at creation or reset; only its scrypt hash is stored.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Create, list, disable builder users and reset their passwords.",
        subcommands: [Create.self, List.self, Disable.self, ResetPassword.self])

    /// 20 characters of base-36 (about 103 bits): typed once, then changed or kept in a manager.
    static func newPassword() -> String { KeyMaterial.random(count: 20) }

    static func validatedEmail(_ email: String) throws -> String {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard (3...254).contains(email.count), parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !email.contains(where: \.isWhitespace) else {
            throw ValidationError("--email must be an address like name@shop.example (3 to 254 characters)")
        }
        return email
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user of a shop (the shop is created if new) and print its first password once.")

        @OptionGroup var options: DaemonOptions
        @Option(help: "The shop's owner name (1–200 characters), as for `keys create`.") var owner: String
        @Option(help: "The user's e-mail address, used to sign in.") var email: String
        @Option(help: "Use this password instead of a generated one (at least 12 characters; for scripts).")
        var password: String?

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin users create")
            guard (1...200).contains(owner.count) else { throw ValidationError("--owner must be 1 to 200 characters") }
            let email = try UsersCommand.validatedEmail(email)
            if let password, password.count < 12 { throw ValidationError("--password must be at least 12 characters") }
            let password = password ?? UsersCommand.newPassword()
            let hash = try PasswordHash.make(password: password).encoded
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let created = try AdminFailure.report {
                try connection.transaction { connection -> Bool in
                    let ownerID = try connection.query("""
                        INSERT INTO owners (name) VALUES (\(owner))
                        ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id
                        """)[0].decode(UUID.self)
                    return try connection.execute("""
                        INSERT INTO shop_users (owner_id, email, password_hash) VALUES (\(ownerID), \(email), \(hash))
                        ON CONFLICT ON CONSTRAINT shop_users_email_unique DO NOTHING
                        """) == 1
                }
            }
            guard created else { AdminFailure.fail("a user with e-mail \(email) exists already (reset-password gives it a new one)", code: 1) }
            print("user: \(email) (shop \(owner))")
            print("password: \(password)")
            print("Store the password now: it cannot be shown again.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List builder users (never their passwords).")

        @OptionGroup var options: DaemonOptions
        @Option(help: "Only this shop's users.") var owner: String?
        @Flag(help: "Print JSON for scripts.") var json = false

        struct User: Encodable {
            var email: String
            var owner: String
            var created: String
            var disabled: String
            var sessions: Int
        }

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin users list")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let rows = try AdminFailure.report {
                try connection.query("""
                    SELECT u.email, o.name AS owner, to_char(u.created_at, 'YYYY-MM-DD HH24:MI') AS created,
                           COALESCE(to_char(u.disabled_at, 'YYYY-MM-DD HH24:MI'), '') AS disabled,
                           (SELECT count(*) FROM shop_sessions s WHERE s.user_id = u.id AND s.expires_at > now())::int AS sessions
                    FROM shop_users u JOIN owners o ON o.id = u.owner_id
                    WHERE (\(owner)::text IS NULL OR o.name = \(owner))
                    ORDER BY o.name, u.email
                    """)
            }
            let users = try rows.map { row in
                User(email: try row.decode(String.self, column: "email"), owner: try row.decode(String.self, column: "owner"),
                     created: try row.decode(String.self, column: "created"), disabled: try row.decode(String.self, column: "disabled"),
                     sessions: try row.decode(Int.self, column: "sessions"))
            }
            if json {
                try AdminJSON.print(users)
                return
            }
            print("EMAIL\tSHOP\tCREATED\tDISABLED\tSESSIONS")
            for user in users {
                print([user.email, user.owner, user.created, user.disabled, String(user.sessions)].joined(separator: "\t"))
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: its sessions end and it cannot sign in.")

        @OptionGroup var options: DaemonOptions
        @Argument(help: "The user's e-mail address.") var email: String

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin users disable")
            let email = try UsersCommand.validatedEmail(email)
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let disabled = try AdminFailure.report {
                try connection.transaction { connection -> Int in
                    let count = try connection.execute("""
                        UPDATE shop_users SET disabled_at = now() WHERE email = \(email) AND disabled_at IS NULL
                        """)
                    try connection.execute("""
                        DELETE FROM shop_sessions WHERE user_id IN (SELECT id FROM shop_users WHERE email = \(email))
                        """)
                    return count
                }
            }
            guard disabled == 1 else { AdminFailure.fail("no enabled user with e-mail \(email)", code: 1) }
            print("disabled \(email)")
        }
    }

    struct ResetPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Give a user a new password (printed once), end its sessions and enable it again.")

        @OptionGroup var options: DaemonOptions
        @Argument(help: "The user's e-mail address.") var email: String

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin users reset-password")
            let email = try UsersCommand.validatedEmail(email)
            let password = UsersCommand.newPassword()
            let hash = try PasswordHash.make(password: password).encoded
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let changed = try AdminFailure.report {
                try connection.transaction { connection -> Int in
                    let count = try connection.execute("""
                        UPDATE shop_users SET password_hash = \(hash), disabled_at = NULL WHERE email = \(email)
                        """)
                    try connection.execute("""
                        DELETE FROM shop_sessions WHERE user_id IN (SELECT id FROM shop_users WHERE email = \(email))
                        """)
                    return count
                }
            }
            guard changed == 1 else { AdminFailure.fail("no user with e-mail \(email)", code: 1) }
            print("user: \(email)")
            print("password: \(password)")
            print("Store the password now: it cannot be shown again.")
        }
    }
}
