import FleetTesting
import Foundation
import HTTPTransport

/// A private moto server (S3 + IAM emulator) on a free loopback port.
///
/// moto skips authentication entirely by default. With `verifySignatures`,
/// `INITIAL_NO_AUTH_ACTION_COUNT=3` lets the first three actions (the IAM
/// setup below) run unauthenticated; every later request must then carry a
/// valid SigV4 signature from that IAM user's key.
///
/// moto's verifier canonicalises the path from werkzeug's IRI-style URL, so
/// keys with non-ASCII characters or sub-delimiters such as `+` fail its
/// check even though they are signed as AWS specifies (each byte outside
/// RFC 3986 unreserved percent-encoded); tests with such keys run unverified.
final class MotoServer {
    static let region = "us-east-1"
    let endpoint: String
    private(set) var accessKeyID = "AKIAUNVERIFIED000000"
    private(set) var secretAccessKey = "unverified"
    private let process: Process

    private init(process: Process, endpoint: String) {
        self.process = process
        self.endpoint = endpoint
    }

    /// Starts moto and waits (asynchronously, with a deadline) until it answers.
    static func start(verifySignatures: Bool) async throws -> MotoServer {
        let port = try freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        var environment = ProcessInfo.processInfo.environment
        if verifySignatures {
            environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
        }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(process: process, endpoint: "http://127.0.0.1:\(port)")
        do {
            try await server.waitUntilReady()
            if verifySignatures {
                try await server.createUserWithS3Access()
            }
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    deinit {
        stop()
    }

    /// SIGKILL, not SIGTERM: the child inherits the signal mask of the
    /// dispatch thread that spawned it, in which SIGTERM is blocked. moto
    /// keeps nothing worth a graceful shutdown.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func configuration(bucket: String, secret: String? = nil) -> S3Configuration {
        S3Configuration(
            endpoint: endpoint, region: Self.region, bucket: bucket,
            accessKeyID: accessKeyID, secretAccessKey: secret ?? secretAccessKey
        )
    }

    /// Polls moto's own API until it answers; a deadline, not a fixed sleep.
    private func waitUntilReady() async throws {
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(1), totalTimeout: .seconds(2)))
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let response = try? await client.perform(HTTPRequest(url: endpoint + "/moto-api/")), response.status == 200 {
                return
            }
            guard process.isRunning else { throw MotoFailure("moto exited; is `pip install moto[server]` done?") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw MotoFailure("moto did not answer within 30 s")
    }

    private func createUserWithS3Access() async throws {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        _ = try await iam(["Action": "CreateUser", "UserName": "itp-test"])
        let keyXML = try await iam(["Action": "CreateAccessKey", "UserName": "itp-test"])
        _ = try await iam(["Action": "PutUserPolicy", "UserName": "itp-test", "PolicyName": "s3-all", "PolicyDocument": policy])
        guard let id = Self.element("AccessKeyId", in: keyXML), let secret = Self.element("SecretAccessKey", in: keyXML) else {
            throw MotoFailure("CreateAccessKey answered without a key")
        }
        accessKeyID = id
        secretAccessKey = secret
    }

    /// An IAM Query API call. Signed (moto routes on the credential scope),
    /// though moto does not check these first three signatures.
    private func iam(_ parameters: [String: String]) async throws -> String {
        let form = (parameters.merging(["Version": "2010-05-08"]) { $1 })
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        let credentials = AWSSigV4Credentials(accessKeyID: "AKIASETUP0000000000", secretAccessKey: "setup", region: Self.region, service: "iam")
        let request = HTTPRequest(
            method: .post, url: endpoint + "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: Array(form.utf8), awsSigV4: credentials
        )
        let response = try await HTTPClient().perform(request)
        guard response.isSuccess else { throw MotoFailure("IAM \(parameters["Action"] ?? "") failed: \(response.status) \(response.bodyText)") }
        return response.bodyText
    }

    private static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else {
            return nil
        }
        return String(xml[open.upperBound..<close.lowerBound])
    }
}

struct MotoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
