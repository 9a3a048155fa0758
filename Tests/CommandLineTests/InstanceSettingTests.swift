import FleetTesting
import Testing

/// The instance number a worker template unit passes (`ITP_INSTANCE=%i`) is checked at boot.
@Suite struct InstanceSettingTests {
    /// What the old `ITP_OBSERVABILITY_ADDR=127.0.0.1:95%i` scheme got wrong: an instance
    /// number that names no port of the scheme stops the daemon at boot, naming the setting.
    @Test(arguments: ["0", "100", "abc", "-3"])
    func anInstanceNumberOutsideTheSchemeStopsTheWorkerWith78(_ instance: String) async throws {
        var environment = ["PATH": "/usr/bin:/bin", "ITP_INSTANCE": instance]
        environment["ITP_STORAGE_URL"] = "file:///tmp/itp-units-unused"
        let output = try await ProcessRunner.capture(try BuiltProducts.path("itp-flatlay-worker"), [], environment: environment)
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_INSTANCE"), "\(output.stderr)")
    }

    @Test func daemonsThatAreNoTemplateUnitsRefuseAnInstanceNumber() async throws {
        let environment = ["PATH": "/usr/bin:/bin", "ITP_INSTANCE": "1", "ITP_STORAGE_URL": "file:///tmp/itp-units-unused"]
        for daemon in ["itp-intake", "itp-finalizer"] {
            let output = try await ProcessRunner.capture(try BuiltProducts.path(daemon), [], environment: environment)
            #expect(output.status == 78, "\(daemon)")
            #expect(output.stderr.contains("ITP_INSTANCE"), "\(daemon): \(output.stderr)")
        }
    }
}
