import FleetTesting
import Foundation
import Postgres
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `itp-intake` as shipped: the shared product settings at boot, and its own `/metrics`.
@Suite struct IntakeDaemonTests {
    @Test(arguments: [
        ("ITP_DESIGN_CANDIDATES_MAX", "9"), ("ITP_DESIGN_CANDIDATES_MAX", "0"), ("ITP_PRICE_CREATE", "0"), ("ITP_PRICE_REGENERATE", "x"),
    ])
    func aBadProductSettingStopsTheIntakeNamingIt(_ setting: (String, String)) async throws {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("ITP_") && key != "ITP_BIN_DIR" { env[key] = nil }
        env[setting.0] = setting.1
        let output = try await ProcessRunner.capture(
            try BuiltProducts.path("itp-intake"), ["--storage-url", "file:///tmp/itp-settings-test"], environment: env)
        #expect(output.status == 78)
        #expect(output.stderr.contains(setting.0), "\(output.stderr)")
    }

    @Test func intakeAndDesignWorkerReadOneCandidatesSetting() async throws {
        for name in ["itp-intake", "itp-design-worker"] {
            // --help wraps lines: compare with whitespace collapsed.
            let help = try await ProcessRunner.capture(try BuiltProducts.path(name), ["--help"]).stdout
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(help.contains("--design-candidates-max"), "\(name)")
            #expect(help.contains("env: ITP_DESIGN_CANDIDATES_MAX; default: 4"), "\(name): \(help)")
            #expect(help.contains("Read by itp-intake"), "\(name)")
        }
        let intake = try await ProcessRunner.capture(try BuiltProducts.path("itp-intake"), ["--help"]).stdout
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(intake.contains("env: ITP_PRICE_CREATE; default: 1"))
        #expect(intake.contains("env: ITP_PRICE_REGENERATE; default: 1"))
    }

    @Test func theIntakeEnforcesTheSharedLimitChargesItsPriceAndExportsHTTPMetrics() async throws {
        let env = try TestEnvironment.require()
        let schema = try await MigratedSchema.create("intake_daemon")
        defer { schema.drop() }
        let (prefix, secret) = (String(uniqueName("k").replacingOccurrences(of: "_", with: "").prefix(12)), String(repeating: "s", count: 24))
        try await offPool {
            let connection = try PostgresConnection.connect(schema.conninfo)
            defer { connection.close() }
            let owner = try connection.query("INSERT INTO owners (name) VALUES (\(uniqueName("owner"))) RETURNING id")[0].decode(UUID.self, at: 0)
            try connection.execute("""
                INSERT INTO api_keys (owner_id, prefix, secret_sha256) VALUES (\(owner), \(prefix), sha256(convert_to(\(secret), 'UTF8')))
                """)
            try connection.execute("INSERT INTO credit_ledger (owner_id, kind, amount) VALUES (\(owner), 'grant', 10)")
        }
        let http = try freeLoopbackPort(), metrics = try freeLoopbackPort()
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates").path
        let intake = try ChildProcess(try BuiltProducts.path("itp-intake"), [
            "--database-url", schema.conninfo, "--amqp-url", env.amqpURL, "--http-addr", "127.0.0.1:\(http)",
            "--observability-addr", "127.0.0.1:\(metrics)", "--storage-url", "file:///tmp/\(schema.name)",
            "--templates-dir", templates, "--design-candidates-max", "2", "--price-create", "3",
        ])
        try await waitUntil("itp-intake answers", timeout: .seconds(60)) {
            (try? await offPool { try RawHTTP.send("GET", "/openapi.yaml", port: http) })?.status == 200
        }
        let auth = "Authorization: Bearer itp_\(prefix)_\(secret)"
        let refused = try await offPool {
            try RawHTTP.send("POST", "/v1/products", port: http, headers: [auth],
                             body: #"{"prompt": "a fox", "product_type": "tshirt", "shirt_color": "black", "candidates": 3}"#)
        }
        #expect(refused.status == 400, "\(refused.body) \(intake.log)")
        #expect(refused.body.contains("candidates must be from 1 to 2"))
        let created = try await offPool {
            try RawHTTP.send("POST", "/v1/products", port: http, headers: [auth],
                             body: #"{"prompt": "a fox", "product_type": "tshirt", "shirt_color": "black", "candidates": 2}"#)
        }
        #expect(created.status == 202, "\(created.body)")
        #expect(created.body.contains(#""estimated_cost":3"#))
        let scraped = try await offPool { try RawHTTP.send("GET", "/metrics", port: metrics) }
        #expect(scraped.status == 200)
        #expect(scraped.body.contains("# HELP itp_http_requests_total "))
        #expect(scraped.body.contains(#"itp_http_requests_total{route="/v1/products",method="POST",status="400"} 1"#), "\(scraped.body)")
        #expect(scraped.body.contains(#"itp_http_requests_total{route="/v1/products",method="POST",status="202"} 1"#))
        #expect(scraped.body.contains(#"itp_http_request_duration_seconds_count{route="/v1/products",method="POST"} 2"#))
        kill(intake.process.processIdentifier, SIGTERM)
        intake.process.waitUntilExit()
        #expect(intake.process.terminationStatus == 0, "\(intake.log)")
    }
}

/// One HTTP/1.1 exchange over a loopback socket (`Connection: close`, read to EOF).
enum RawHTTP {
    struct Reply {
        var status: Int
        var body: String
    }

    static func send(_ method: String, _ path: String, port: Int, headers: [String] = [], body: String? = nil) throws -> Reply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestEnvironmentError("socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestEnvironmentError("connect: errno \(errno)") }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for header in headers { request += header + "\r\n" }
        if let body { request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        request += "\r\n" + (body ?? "")
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw TestEnvironmentError("send: errno \(errno)") }
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return Reply(status: status, body: body)
    }
}
