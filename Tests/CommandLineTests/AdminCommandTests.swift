import FleetTesting
import Foundation
import Testing

/// Every `itp-admin` subcommand has help; the topology and template commands work against
/// the real broker and the shipped catalogue.
@Suite struct AdminCommandTests {
    static let subcommands: [[String]] = [
        ["queues"], ["scale", "plan"], ["dlq", "list"], ["dlq", "show"], ["dlq", "replay"], ["dlq", "purge"], ["jobs", "retry"],
        ["jobs", "cancel"], ["products", "show"], ["assets", "cleanup"], ["keys", "create"], ["credits", "grant"], ["broker", "setup"],
    ]

    @Test(arguments: subcommands)
    func everySubcommandHasHelpWithExitCodesOrSettings(_ subcommand: [String]) throws {
        let output = try ProcessRunner.capture(try BuiltProducts.path("itp-admin"), subcommand + ["--help"])
        #expect(output.status == 0, "\(subcommand)")
        #expect(output.stdout.contains("USAGE: itp-admin \(subcommand.joined(separator: " "))"), "\(output.stdout)")
        #expect(output.stdout.contains("--database-url"), "\(subcommand)")
    }

    @Test func readCommandsOfferJSON() throws {
        for subcommand in [["queues"], ["scale", "plan"], ["dlq", "list"], ["dlq", "show"], ["products", "show"]] {
            let output = try ProcessRunner.capture(try BuiltProducts.path("itp-admin"), subcommand + ["--help"])
            #expect(output.stdout.contains("--json"), "\(subcommand)")
        }
    }

    @Test func scaleAndQueuesHelpSayWhereInFlightComesFrom() throws {
        let output = try ProcessRunner.capture(try BuiltProducts.path("itp-admin"), ["queues", "--help"])
        #expect(output.stdout.contains("management plugin"))
    }

    @Test func brokerUnreachableExits69() throws {
        let output = try ProcessRunner.capture(
            try BuiltProducts.path("itp-admin"), ["queues", "--amqp-url", "amqp://guest:guest@127.0.0.1:1/%2f",
                                                   "--database-url", try TestEnvironment.require().databaseURL])
        #expect(output.status == 69, "\(output.stderr)")
    }

    @Test func templatesCheckPassesOnTheShippedCatalogue() throws {
        let output = try ProcessRunner.capture(
            try BuiltProducts.path("itp-admin"), ["templates", "check", "--headers-only", "--templates-dir", SystemdUnitTests.repository.appendingPathComponent("templates").path])
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.hasPrefix("ok:"))
    }

    @Test func badUsageExits64() throws {
        let output = try ProcessRunner.capture(try BuiltProducts.path("itp-admin"), ["dlq", "replay"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("--all"))
    }
}
