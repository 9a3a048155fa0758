import FleetTesting
import Testing

/// Every executable of DESIGN.md §8 exists, says what it is, and names the settings it reads.
@Suite struct HelpTests {
    static let daemons = ["itp-intake", "itp-design-worker", "itp-flatlay-worker", "itp-mr-imagine", "itp-finalizer"]

    @Test(arguments: daemons + ["itp-admin"])
    func helpSaysWhatItIsAndWhichSettingsItReads(_ name: String) async throws {
        let output = try await ProcessRunner.capture(try BuiltProducts.path(name), ["--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("USAGE: \(name)"))
        #expect(output.stdout.contains("OVERVIEW:"))
        if name != "itp-admin" {
            for setting in ["ITP_DATABASE_URL", "ITP_AMQP_URL", "ITP_STORAGE_URL", "ITP_OBSERVABILITY_ADDR", "--database-url", "--amqp-url"] {
                #expect(output.stdout.contains(setting), "\(name) --help does not mention \(setting)")
            }
        } else {
            #expect(output.stdout.contains("migrate"))
        }
    }

    @Test func intakeAlsoNamesItsHTTPAddress() async throws {
        let output = try await ProcessRunner.capture(try BuiltProducts.path("itp-intake"), ["--help"])
        #expect(output.stdout.contains("ITP_HTTP_ADDR"))
    }

    @Test func adminSubcommandsHaveHelp() async throws {
        for subcommand in ["migrate", "status"] {
            let output = try await ProcessRunner.capture(try BuiltProducts.path("itp-admin"), [subcommand, "--help"])
            #expect(output.status == 0)
            #expect(output.stdout.contains("ITP_DATABASE_URL"))
        }
    }
}
