import ArgumentParser
import Foundation
import Operations
import Postgres
import Settings

/// `itp-admin operators create|list|disable|reset-password`: the people who sign in to the
/// operator console. Operators are not shop users; a read-only operator sees everything and
/// may not act. A password is printed once; only its scrypt hash is stored.
struct OperatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operators",
        abstract: "Create, list, disable console operators and reset their passwords.",
        subcommands: [Create.self, List.self, Disable.self, ResetPassword.self])

    static func validatedName(_ raw: String) throws -> String {
        guard let name = OperatorAccounts.validName(raw) else {
            throw ValidationError("NAME must be 1 to 64 characters of a-z, 0-9, '.', '_', '@', '-', starting with a letter or digit")
        }
        return name
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an operator and print its first password once.")

        @OptionGroup var options: DaemonOptions
        @Argument(help: "The operator's name, used to sign in.") var name: String
        @Flag(help: "May look at every page of the console but not act (no replay, purge, retry, cancel).") var readOnly = false
        @Option(help: "Use this password instead of a generated one (at least 12 characters; for scripts).") var password: String?

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin operators create")
            let name = try OperatorsCommand.validatedName(name)
            if let password, password.count < 12 { throw ValidationError("--password must be at least 12 characters") }
            let password = password ?? OperatorAccounts.newPassword()
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let readOnly = readOnly
            let created = try AdminFailure.report { try OperatorAccounts.create(name: name, password: password, readOnly: readOnly, on: connection) }
            guard created else { AdminFailure.fail("an operator named \(name) exists already (reset-password gives it a new one)", code: 1) }
            print("operator: \(name)\(readOnly ? " (read-only)" : "")")
            print("password: \(password)")
            print("Store the password now: it cannot be shown again.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List console operators (never their passwords).")

        @OptionGroup var options: DaemonOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin operators list")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let operators = try AdminFailure.report { try OperatorAccounts.list(on: connection) }
            if json {
                try AdminJSON.print(operators)
                return
            }
            print("NAME\tROLE\tCREATED\tDISABLED\tSESSIONS")
            for entry in operators {
                print([entry.name, entry.readOnly ? "read-only" : "operator", entry.createdAt.formatted(.iso8601),
                       entry.disabledAt?.formatted(.iso8601) ?? "", String(entry.sessions)].joined(separator: "\t"))
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an operator: its sessions end and it cannot sign in.")

        @OptionGroup var options: DaemonOptions
        @Argument(help: "The operator's name.") var name: String

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin operators disable")
            let name = try OperatorsCommand.validatedName(name)
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            guard try AdminFailure.report({ try OperatorAccounts.disable(name: name, on: connection) }) else {
                AdminFailure.fail("no enabled operator named \(name)", code: 1)
            }
            print("disabled \(name)")
        }
    }

    struct ResetPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "Give an operator a new password (printed once), end its sessions and enable it again.")

        @OptionGroup var options: DaemonOptions
        @Argument(help: "The operator's name.") var name: String

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin operators reset-password")
            let name = try OperatorsCommand.validatedName(name)
            let password = OperatorAccounts.newPassword()
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            guard try AdminFailure.report({ try OperatorAccounts.resetPassword(name: name, password: password, on: connection) }) else {
                AdminFailure.fail("no operator named \(name)", code: 1)
            }
            print("operator: \(name)")
            print("password: \(password)")
            print("Store the password now: it cannot be shown again.")
        }
    }
}
