import FleetTesting
import Foundation
import HTTPTransport

/// A private moto S3 server on a free loopback port, for one test. moto accepts any
/// credentials in this mode; signature checking is HTTPTransportTests' business — here
/// the subject is the storage layer's keys, prefix and error mapping.
final class MotoS3: Sendable {
    let endpoint: String
    private let process: Process

    private init(process: Process, endpoint: String) {
        self.process = process
        self.endpoint = endpoint
    }

    static func start() async throws -> MotoS3 {
        let port = try freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoS3(process: process, endpoint: "http://127.0.0.1:\(port)")
        let probe = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(1), totalTimeout: .seconds(2)))
        do {
            try await waitUntil("moto to answer", timeout: .seconds(120), poll: .milliseconds(100)) {
                guard process.isRunning else { throw TestEnvironmentError("moto exited; is `pip install moto[server]` done?") }
                return (try? await probe.perform(HTTPRequest(url: server.endpoint + "/moto-api/")))?.status == 200
            }
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// SIGKILL: the child may inherit a signal mask with SIGTERM blocked; moto keeps nothing.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}
