import ArgumentParser
import Foundation
import Postgres
import Settings

/// `itp-admin credits grant|show`: an owner's credit balance, kept by the ledger.
struct CreditsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credits",
        abstract: "Grant credits to an owner and show balances and ledger entries.",
        subcommands: [Grant.self, Show.self])

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add credits to an owner's balance (a ledger 'grant').")

        @OptionGroup var options: DaemonOptions
        @Option(help: "The owner's name.") var owner: String
        @Option(help: "Credits to add (1 or more).") var amount: Int
        @Option(help: "Why (kept in the ledger).") var note: String?

        func validate() throws {
            guard amount >= 1 else { throw ValidationError("--amount must be at least 1") }
        }

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin credits grant")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            let balance: Int64? = try AdminFailure.report {
                try connection.transaction { connection in
                    guard let ownerID = try connection.query("SELECT id FROM owners WHERE name = \(owner)")
                        .first?.decode(UUID.self) else { return nil }
                    try connection.execute("""
                        INSERT INTO credit_ledger (owner_id, kind, amount, note) VALUES (\(ownerID), 'grant', \(amount), \(note))
                        """)
                    return try connection.query("SELECT balance FROM credit_accounts WHERE owner_id = \(ownerID)")[0]
                        .decode(Int64.self)
                }
            }
            guard let balance else { AdminFailure.fail("no owner named '\(owner)' (create one with itp-admin keys create)", code: 1) }
            print("granted \(amount) to \(owner); balance \(balance)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an owner's balance, open reservations and latest ledger entries.")

        @OptionGroup var options: DaemonOptions
        @Option(help: "The owner's name.") var owner: String
        @Option(help: "How many ledger entries to show.") var entries = 20
        @Flag(help: "Print JSON for scripts.") var json = false

        struct Account: Encodable {
            struct Entry: Encodable {
                var time: String
                var kind: String
                var amount: String
                var product: String
                var note: String
            }

            var owner: String
            var ownerId: UUID
            var balance: Int64
            var reserved: Int64
            var ledger: [Entry]
        }

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin credits show")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            try AdminFailure.report {
                guard let row = try connection.query("""
                    SELECT o.id, COALESCE(a.balance, 0),
                           (SELECT COALESCE(sum(r.amount), 0) FROM credit_ledger r
                             WHERE r.owner_id = o.id AND r.kind = 'reserve'
                               AND NOT EXISTS (SELECT 1 FROM credit_ledger s
                                               WHERE s.reservation_id = r.reservation_id AND s.kind IN ('consume', 'refund')))
                    FROM owners o LEFT JOIN credit_accounts a ON a.owner_id = o.id WHERE o.name = \(owner)
                    """).first else { AdminFailure.fail("no owner named '\(owner)'", code: 1) }
                let (ownerID, balance, reserved) = try row.decode((UUID, Int64, Int64).self)
                let ledger = try connection.query("""
                    SELECT to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'), kind::text, amount::text,
                           COALESCE(product_id::text, ''), COALESCE(note, '')
                    FROM credit_ledger WHERE owner_id = \(ownerID) ORDER BY id DESC LIMIT \(max(0, entries))
                    """).map { entry in
                    let (time, kind, amount, product, note) = try entry.decode((String, String, String, String, String).self)
                    return Account.Entry(time: time, kind: kind, amount: amount, product: product, note: note)
                }
                let account = Account(
                    owner: owner, ownerId: ownerID, balance: balance, reserved: reserved,
                    ledger: ledger)
                if json {
                    try AdminJSON.print(account)
                    return
                }
                print("owner: \(owner) (\(ownerID.uuidString.lowercased()))")
                print("balance: \(account.balance) (available)")
                print("reserved: \(account.reserved) (held by products in progress)")
                print("TIME\tKIND\tAMOUNT\tPRODUCT\tNOTE")
                for entry in ledger {
                    print([entry.time, entry.kind, entry.amount, entry.product, entry.note].joined(separator: "\t"))
                }
            }
        }
    }
}
