import FleetTesting
import Foundation
import Testing

/// Every `itp-admin` subcommand has help; exit codes for bad usage and an unreachable
/// broker; the template check on the shipped catalogue. Child processes are awaited off
/// the cooperative pool (two cores: blocking it starves the in-process servers of other tests).
@Suite struct AdminCommandTests {
    static let subcommands: [[String]] = [
        ["queues"], ["scale", "plan"], ["dlq", "list"], ["dlq", "show"], ["dlq", "replay"], ["dlq", "purge"], ["jobs", "retry"],
        ["jobs", "cancel"], ["products", "show"], ["assets", "cleanup"], ["keys", "create"], ["credits", "grant"], ["broker", "setup"],
    ]

    func admin(_ arguments: [String]) async throws -> ProcessRunner.Output {
        let binary = try BuiltProducts.path("itp-admin")
        return try await offPool { try ProcessRunner.captureBlocking(binary, arguments) }
    }

    @Test(arguments: subcommands)
    func everySubcommandHasHelpNamingTheSettings(_ subcommand: [String]) async throws {
        let output = try await admin(subcommand + ["--help"])
        #expect(output.status == 0, "\(subcommand)")
        #expect(output.stdout.contains("USAGE: itp-admin \(subcommand.joined(separator: " "))"), "\(output.stdout)")
        #expect(output.stdout.contains("--database-url"), "\(subcommand)")
    }

    @Test func readCommandsOfferJSON() async throws {
        for subcommand in [["queues"], ["scale", "plan"], ["dlq", "list"], ["dlq", "show"], ["products", "show"], ["status"],
                           ["keys", "list"], ["credits", "show"]] {
            let output = try await admin(subcommand + ["--help"])
            #expect(output.stdout.contains("--json"), "\(subcommand)")
        }
    }

    @Test func queuesHelpSaysWhereInFlightComesFrom() async throws {
        let output = try await admin(["queues", "--help"])
        #expect(output.stdout.contains("management plugin"))
    }

    @Test func brokerUnreachableExits69() async throws {
        let output = try await admin([
            "queues", "--amqp-url", "amqp://guest:guest@127.0.0.1:1/%2f", "--database-url", try TestEnvironment.require().databaseURL,
        ])
        #expect(output.status == 69, "\(output.stderr)")
        #expect(output.stderr.contains("broker unreachable"))
    }

    @Test func templatesCheckPassesOnTheShippedCatalogue() async throws {
        let templates = SystemdUnitTests.repository.appendingPathComponent("templates").path
        let output = try await admin(["templates", "check", "--headers-only", "--templates-dir", templates])
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.hasPrefix("ok:"))
    }

    @Test func badUsageExits64() async throws {
        let output = try await admin(["dlq", "replay"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("--all"))
    }
}
