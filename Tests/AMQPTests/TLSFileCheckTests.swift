import AMQP
import Foundation
import Testing

/// The certificate files are loaded at boot as each connection loads them; a file OpenSSL
/// cannot use is named before any connection is tried (no servers needed).
@Suite struct TLSFileCheckTests {
    private func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("itp-tls-\(UUID().uuidString).pem").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aCAFileThatIsNotPEMIsNamed() throws {
        let path = try temporaryFile("not a certificate\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: AMQPTLSConfiguration.FileProblem.caFile("could not load '\(path)' as PEM certificates")) {
            try AMQPTLSConfiguration(caFile: path).check()
        }
    }

    @Test func aMissingCAFileIsNamed() {
        #expect(throws: AMQPTLSConfiguration.FileProblem.self) {
            try AMQPTLSConfiguration(caFile: "/nonexistent/itp-ca.crt").check()
        }
    }

    @Test func aCertificateWithoutItsKeyIsRefused() throws {
        let path = try temporaryFile("x\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: AMQPTLSConfiguration.FileProblem.certificateOrKey("a client certificate needs both its certificate file and its key file")) {
            try AMQPTLSConfiguration(certificateFile: path).check()
        }
    }

    @Test func noFilesIsNothingToCheck() throws {
        try AMQPTLSConfiguration().check()
    }
}
