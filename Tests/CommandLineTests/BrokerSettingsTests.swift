import FleetTesting
import Foundation
import Testing

/// The broker's address list and certificate settings are checked at boot: a bad one
/// stops a daemon (and itp-admin) with exit 78 and a message naming it.
@Suite struct BrokerSettingsTests {
    private let validation = SettingsValidationTests()
    private let storage = ["--storage-url", "file:///tmp/itp-settings-test"]

    private func file(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("itp-tls") + ".pem").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aBadEntryOfTheListIsNamedWithItsPosition() async throws {
        let output = try await validation.run(
            "itp-finalizer", storage, environment: ["ITP_AMQP_URL": "amqp://u:p@rabbit1:5672/itp,amqp://u:p@rabbit2:99999/itp"])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_AMQP_URL"))
        #expect(output.stderr.contains("URL 2 of the list"), "\(output.stderr)")
    }

    @Test func aListNamingDifferentUsersIsRefused() async throws {
        let output = try await validation.run(
            "itp-flatlay-worker", storage, environment: ["ITP_AMQP_URL": "amqp://u:p@rabbit1/itp,amqp://v:p@rabbit2/itp"])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_AMQP_URL"))
        #expect(output.stderr.contains("same user, password and vhost"), "\(output.stderr)")
    }

    @Test(arguments: ["itp-finalizer", "itp-admin"])
    func amqpsNeedsACAFile(_ name: String) async throws {
        let arguments = name == "itp-admin" ? ["queues"] : storage
        let output = try await validation.run(name, arguments, environment: ["ITP_AMQP_URL": "amqps://u:p@rabbit1/itp"])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_AMQP_CA_FILE"), "\(output.stderr)")
    }

    @Test func aMissingCAFileIsNamed() async throws {
        let output = try await validation.run(
            "itp-mr-imagine", storage,
            environment: ["ITP_AMQP_URL": "amqps://u:p@rabbit1/itp", "ITP_AMQP_CA_FILE": "/nonexistent/itp/ca.crt"])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_AMQP_CA_FILE"))
        #expect(output.stderr.contains("no file at '/nonexistent/itp/ca.crt'"), "\(output.stderr)")
    }

    /// The file exists, but OpenSSL cannot read a certificate from it: still a boot error.
    @Test func aCAFileThatIsNotACertificateIsNamed() async throws {
        let path = try file("this is not a certificate\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try await validation.run(
            "itp-design-worker", storage, environment: ["ITP_AMQP_URL": "amqps://u:p@rabbit1/itp", "ITP_AMQP_CA_FILE": path])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_AMQP_CA_FILE"))
        #expect(output.stderr.contains("as PEM certificates"), "\(output.stderr)")
    }

    @Test func aCertificateWithoutItsKeyIsNamed() async throws {
        let path = try file("x\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try await validation.run(
            "itp-finalizer", storage, environment: ["ITP_AMQP_URL": "amqp://u:p@rabbit1/itp", "ITP_AMQP_CERT_FILE": path])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_AMQP_KEY_FILE"), "\(output.stderr)")
    }

    @Test func anEncryptedKeyIsRefused() async throws {
        let certificate = try file("x\n")
        let key = try file("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
        defer {
            try? FileManager.default.removeItem(atPath: certificate)
            try? FileManager.default.removeItem(atPath: key)
        }
        let output = try await validation.run(
            "itp-finalizer", storage,
            environment: ["ITP_AMQP_URL": "amqp://u:p@rabbit1/itp", "ITP_AMQP_CERT_FILE": certificate, "ITP_AMQP_KEY_FILE": key])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_AMQP_KEY_FILE"))
        #expect(output.stderr.contains("encrypted"), "\(output.stderr)")
    }
}
