import FleetTesting
import Foundation
import HTTPTransport
import Logging
import Postgres
import Schema
import Soak
import Testing

/// The whole fleet as real processes on one schema: intake, finalizer, design worker,
/// flat-lay worker, mr_imagine. It consumes the production queue names, so suites using it
/// are named Exclusive… and run in scripts/test's serial phase.
final class Fleet: @unchecked Sendable {
    let env: TestEnvironment
    let schema: String
    let conninfo: String
    let storage: String
    let api: String
    let apiKey: String
    private var processes: [Process] = []
    /// Each daemon's observability port (its `/readyz`).
    private var observabilityPorts: [String: Int] = [:]
    private let logDirectory: String

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private let adminCommon: [String]

    /// - Parameter flatLayTemplates: the flat-lay worker's templates directory (default the
    ///   repository's), so a test can break its images after the worker booted.
    /// - Parameter mrImagineTemplates: the same for the mr_imagine compositor.
    /// - Parameter imageAPI: the base URL of a fake OpenAI Images API the design worker calls
    ///   (default: the built-in generator), so a test can count the provider calls.
    init(credits: Int = 5, flatLayTemplates: String? = nil, mrImagineTemplates: String? = nil, imageAPI: String? = nil) async throws {
        env = try TestEnvironment.require()
        schema = uniqueName("flow")
        let admin = try PostgresConnection.connect(env.databaseURL)
        defer { admin.close() }
        try admin.simpleQuery("CREATE SCHEMA \(schema)")
        conninfo = IsolatedSchema.conninfo(env.databaseURL, schema: schema)
        storage = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("flow-assets")).path
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("flow-logs")).path
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        api = "http://127.0.0.1:\(port)"

        let adminBinary = try BuiltProducts.path("itp-admin")
        let common = ["--database-url", conninfo, "--amqp-url", env.amqpURL]
        adminCommon = common
        try await ProcessRunner.run(adminBinary, ["migrate"] + common)
        try await ProcessRunner.run(adminBinary, ["broker", "setup"] + common)
        let created = try await ProcessRunner.run(adminBinary, ["keys", "create", "--owner", "flow-shop"] + common)
        guard let keyLine = created.stdout.split(separator: "\n").first(where: { $0.hasPrefix("key: ") }) else {
            throw TestEnvironmentError("keys create printed no key: \(created.stdout)")
        }
        apiKey = String(keyLine.dropFirst("key: ".count))
        try await ProcessRunner.run(adminBinary, ["credits", "grant", "--owner", "flow-shop", "--amount", "\(credits)"] + common)

        let templates = Self.repository.appendingPathComponent("templates").path
        let daemonCommon = common + ["--storage-url", "file://\(storage)", "--log-level", "notice"]
        try spawn("itp-intake", daemonCommon + ["--http-addr", "127.0.0.1:\(port)", "--templates-dir", templates])
        try spawn("itp-finalizer", daemonCommon + ["--sweep-interval", "2"])
        let provider = imageAPI.map {
            ["--image-provider", "openai-images", "--image-api-base-url", $0, "--image-api-key", FakeImageAPI.apiKey,
             "--image-model", "gpt-image-1", "--image-size", "\(Self.fakeImageSize)"]
        } ?? []
        try spawn("itp-design-worker", daemonCommon + ["--spool-dir", storage + "-spool"] + provider)
        try spawn("itp-flatlay-worker", daemonCommon + ["--templates-dir", flatLayTemplates ?? templates])
        try spawn("itp-mr-imagine", daemonCommon + ["--templates-dir", mrImagineTemplates ?? templates])
    }

    /// The edge of the fake provider's images (and what the design worker asks for).
    static let fakeImageSize = 512

    private func spawn(_ name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(name))
        let port = try freeLoopbackPort()
        observabilityPorts[name] = port
        process.arguments = arguments + ["--observability-addr", "127.0.0.1:\(port)"]
        let log = "\(logDirectory)/\(name).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes.append(process)
    }

    /// `itp-admin <arguments>` against this fleet's schema and broker, whatever its exit status.
    func admin(_ arguments: [String]) async throws -> ProcessRunner.Output {
        let binary = try BuiltProducts.path("itp-admin")
        let full = arguments + adminCommon
        return try await ProcessRunner.capture(binary, full)
    }

    /// A long-running `itp-admin` (the console) against this fleet, logging to `<log>.log`; the
    /// caller stops it.
    func spawnAdmin(_ arguments: [String], log name: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("itp-admin"))
        process.arguments = arguments + adminCommon
        let log = "\(logDirectory)/\(name).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// The error class and failure stage of the fleet's dead letters (one pair expected).
    func deadLetterClassAndStage() throws -> (String, String) {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let row = try connection.query("""
            SELECT DISTINCT COALESCE(d.error_class, j.error_class)::text AS class, COALESCE(d.failure_stage, j.failure_stage) AS stage
            FROM dead_letters d LEFT JOIN jobs j ON j.id = d.job_id
            """)[0]
        return (try row.decode(String.self, column: "class"), try row.decode(String.self, column: "stage"))
    }

    /// The tail of every daemon's log, for failure messages.
    var logs: String {
        processes.compactMap { process -> String? in
            guard let name = process.executableURL?.lastPathComponent,
                  let text = try? String(contentsOfFile: "\(logDirectory)/\(name).log", encoding: .utf8) else { return nil }
            return "== \(name)\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    var allRunning: Bool { processes.allSatisfy(\.isRunning) }

    func stop() async {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for process in processes {
            try? await waitUntil("\(process.processIdentifier) to exit", timeout: .seconds(60)) { !process.isRunning }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        if let admin = try? PostgresConnection.connect(env.databaseURL) {
            _ = try? admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            admin.close()
        }
        try? FileManager.default.removeItem(atPath: storage)
        try? FileManager.default.removeItem(atPath: storage + "-spool")
    }

    /// Waits until the intake answers (it binds its port a moment after starting).
    func waitUntilServing() async throws {
        try await waitUntil("the intake to serve\n\(logs)", timeout: .seconds(60), poll: .milliseconds(100)) {
            let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(1), totalTimeout: .seconds(5)))
            return (try? await client.perform(HTTPRequest(url: self.api + "/openapi.yaml")))?.status == 200
        }
    }

    /// Waits until daemon `name` answers `/readyz` with 200 (booted: settings, templates,
    /// database and broker checked).
    func waitUntilReady(_ name: String) async throws {
        let port = try #require(observabilityPorts[name], "no daemon \(name) in this fleet")
        try await waitUntil("\(name) to be ready\n\(logs)", timeout: .seconds(120), poll: .milliseconds(100)) {
            let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(1), totalTimeout: .seconds(5)))
            return (try? await client.perform(HTTPRequest(url: "http://127.0.0.1:\(port)/readyz")))?.status == 200
        }
    }

    // MARK: The storefront's side

    func request(
        _ method: HTTPMethod, _ path: String, json: String? = nil, key: String? = nil, headers extra: HTTPHeaders = [:]
    ) async throws -> HTTPResponse {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(key ?? apiKey)"]
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        for field in extra { headers.add(name: field.name, value: field.value) }
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(5), totalTimeout: .seconds(30)))
        return try await client.perform(HTTPRequest(method: method, url: api + path, headers: headers, body: json.map { Array($0.utf8) }))
    }

    func object(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> [String: Any] {
        let response = try await request(method, path, json: json)
        guard (200..<300).contains(response.status),
              let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw TestEnvironmentError("\(method) \(path) answered \(response.status): \(response.bodyText)")
        }
        return object
    }

    func waitForStatus(_ product: String, _ status: String, timeout: Duration = .seconds(180)) async throws {
        try await waitUntil("product \(product) to be \(status)\n\(logs)", timeout: timeout, poll: .milliseconds(250)) {
            let current = (try? await self.object(.get, "/v1/products/\(product)"))?["status"] as? String
            if current == "failed" { throw TestEnvironmentError("product failed\n\(self.logs)") }
            return current == status
        }
    }

    func count(_ sql: SQL) throws -> Int {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        return try connection.query(sql)[0].decode(Int.self, at: 0)
    }
}
