import ArgumentParser
import Foundation
import Operations
import Postgres
import Settings

/// `itp-admin products show`: one product as the database holds it.
struct ProductsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "products",
        abstract: "Inspect products.",
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a product: status, assets with their flags, jobs, credit ledger.",
            discussion: "Exit codes: 0 success; 1 no such product; 69 the database is unreachable.")

        @OptionGroup var options: DaemonOptions
        @Argument(help: "The product id.") var id: String
        @Flag(help: "Print JSON for scripts.") var json = false

        func validate() throws {
            guard UUID(uuidString: id) != nil else { throw ValidationError("'\(id)' is not a product id (UUID)") }
        }

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin products show")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            guard let productID = UUID(uuidString: id) else { throw ExitCode.validationFailure }
            guard let view = try AdminFailure.report({ try ProductDetail.load(productID, on: connection) }) else {
                AdminFailure.fail("no product \(id.lowercased())", code: 1)
            }
            if json {
                try AdminJSON.print(view)
            } else {
                print(view.text)
            }
        }
    }
}
