import DesignProviders
import FleetTesting
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A local stand-in for the OpenAI Images API (`POST /v1/images/generations` and
/// `/v1/images/edits`, answering `{"created":…,"data":[{"b64_json":"…"}]}` or the API's
/// `{"error":{…}}`), which the soak points the design workers at, and which misbehaves
/// on purpose: 429 with `Retry-After`, 500, slow answers, answers slower than the
/// workers' timeout, and — for products whose prompt carries ``garbageMarker`` —
/// garbage bodies on every call (a permanent failure by the provider contract).
///
/// With `callsPerMinute` it also keeps the account's rate limit as the real API does: a
/// call beyond that many in the last 60 s is a 429 whose `Retry-After` is when the window
/// frees. Every 429 announces a pause; a call arriving before the pause ends is counted
/// (``Tally/duringPause``): the fleet's shared budget should make none.
public final class FakeImageAPI: Sendable {
    /// Probabilities (0…1) per call; what is left answers normally.
    public struct Faults: Sendable {
        public var rateLimited = 0.0
        public var serverError = 0.0
        public var slow = 0.0
        /// Answer after longer than the workers' provider timeout (a transient timeout).
        public var beyondTimeout = 0.0
        public var slowDelay: ClosedRange<Double> = 0.5...3
        public var beyondTimeoutDelay: Double = 12

        public init() {}

        public static var none: Faults { Faults() }
    }

    /// The answers given so far, by kind (for the report).
    public struct Tally: Sendable, CustomStringConvertible {
        public var ok = 0, rateLimited = 0, serverError = 0, slow = 0, beyondTimeout = 0, garbage = 0, malformedRequest = 0
        /// 429s for going over `callsPerMinute` (also counted in `rateLimited`).
        public var overLimit = 0
        /// Calls that arrived while an announced pause (a 429's Retry-After) was running.
        public var duringPause = 0

        public var calls: Int { ok + rateLimited + serverError + slow + beyondTimeout + garbage }

        public var description: String {
            "ok \(ok), 429 \(rateLimited) (over the rate \(overLimit)), 500 \(serverError), slow \(slow), beyond-timeout \(beyondTimeout), garbage \(garbage)"
                + "; calls during a pause \(duringPause); 429s per 100 calls "
                + (calls == 0 ? "-" : String(format: "%.1f", Double(rateLimited) * 100 / Double(calls)))
        }
    }

    /// Prompts containing this are answered with garbage, every time.
    public static let garbageMarker = "[soak-garbage]"
    public static let apiKey = "soak-fake-key"

    private let server: LoopbackServer
    public var port: Int { server.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let shared: Shared

    /// The fault mix, the tally and the rate window, shared with the connection threads.
    private final class Shared: Sendable {
        struct State {
            var faults: Faults
            var tally = Tally()
            /// Arrival times (seconds since boot) of the calls the rate limit let through.
            var window: [Double] = []
            /// The end of the last announced pause (none yet: before any call).
            var pausedUntil = -Double.infinity
            /// Calls so far: call N is answered with image N mod 6, in turn, so two
            /// products' designs differ unless six calls lie between them (tests compare them).
            var calls = 0
        }

        let state: Mutex<State>
        let callsPerMinute: Int?
        init(_ faults: Faults, callsPerMinute: Int?) {
            state = Mutex(State(faults: faults))
            self.callsPerMinute = callsPerMinute
        }
    }
    private let images: [[UInt8]]

    /// - Parameters:
    ///   - size: edge of the PNGs returned (the workers ask for `ITP_IMAGE_SIZE`).
    ///   - callsPerMinute: the account's rate limit; nil: none.
    public init(size: Int, faults: Faults = .none, callsPerMinute: Int? = nil) async throws {
        var images: [[UInt8]] = []
        // Real art from the built-in generator on a flat opaque background, as image APIs
        // return it (so background removal has work to do).
        let provider = BuiltinProvider(background: .flat)
        for index in 0..<6 {
            let image = try await provider.generate(ImageRequest(prompt: "soak fixture \(index)", candidateIndex: index, seed: UInt64(index), size: size))
            images.append(image.png)
        }
        self.images = images
        shared = Shared(faults, callsPerMinute: callsPerMinute)
        let encodedImages = images.map { Data($0).base64EncodedString() }
        let shared = self.shared
        server = try LoopbackServer { connection in
            Self.serve(connection, images: encodedImages, shared: shared)
        }
    }

    public func setFaults(_ faults: Faults) {
        shared.state.withLock { $0.faults = faults }
    }

    public var tally: Tally { shared.state.withLock { $0.tally } }

    private enum Answer {
        case ok, rateLimited(seconds: Int), serverError, slow(Double), beyondTimeout(Double), garbage
    }

    private static func serve(_ connection: Int32, images: [String], shared: Shared) {
        guard let request = LoopbackSocket.readRequest(connection) else { return }
        let json = [("Content-Type", "application/json")]
        guard request.method == "POST", request.path == "/v1/images/generations" || request.path == "/v1/images/edits" else {
            LoopbackSocket.respond(404, headers: json, body: Array(#"{"error":{"message":"Unknown request URL","type":"invalid_request_error","code":"unknown_url"}}"#.utf8), on: connection)
            return
        }
        guard request.header("Authorization") == "Bearer \(apiKey)" else {
            LoopbackSocket.respond(401, headers: json, body: Array(#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#.utf8), on: connection)
            return
        }
        let isGarbageTarget = request.body.firstRange(of: Array(garbageMarker.utf8)) != nil
        let now = ContinuousClock.now.secondsSinceBoot
        let turn = shared.state.withLock { state in
            defer { state.calls += 1 }
            return state.calls
        }
        let answer: Answer = shared.state.withLock { state in
            if now < state.pausedUntil { state.tally.duringPause += 1 }
            if let limit = shared.callsPerMinute {
                state.window.removeAll { $0 <= now - 60 }
                if state.window.count >= limit {
                    let seconds = max(1, Int((state.window[0] + 60 - now).rounded(.up)))
                    state.tally.rateLimited += 1
                    state.tally.overLimit += 1
                    state.pausedUntil = max(state.pausedUntil, now + Double(seconds))
                    return .rateLimited(seconds: seconds)
                }
                state.window.append(now)
            }
            if isGarbageTarget {
                state.tally.garbage += 1
                return .garbage
            }
            let faults = state.faults
            var roll = Double.random(in: 0..<1)
            func take(_ probability: Double) -> Bool {
                if roll < probability { return true }
                roll -= probability
                return false
            }
            if take(faults.rateLimited) {
                state.tally.rateLimited += 1
                state.pausedUntil = max(state.pausedUntil, now + 1)
                return .rateLimited(seconds: 1)
            }
            if take(faults.serverError) { state.tally.serverError += 1; return .serverError }
            if take(faults.beyondTimeout) { state.tally.beyondTimeout += 1; return .beyondTimeout(faults.beyondTimeoutDelay) }
            if take(faults.slow) { state.tally.slow += 1; return .slow(Double.random(in: faults.slowDelay)) }
            state.tally.ok += 1
            return .ok
        }
        func success() {
            let image = images[turn % images.count]
            let body = #"{"created":\#(Int(Date().timeIntervalSince1970)),"data":[{"b64_json":"\#(image)"}],"usage":{"total_tokens":1}}"#
            LoopbackSocket.respond(200, headers: json, body: Array(body.utf8), on: connection)
        }
        switch answer {
        case .ok:
            success()
        case .rateLimited(let seconds):
            LoopbackSocket.respond(429, headers: json + [("Retry-After", "\(seconds)")], body: Array(
                #"{"error":{"message":"Rate limit reached for images per minute. Please try again in \#(seconds)s.","type":"requests","code":"rate_limit_exceeded"}}"#.utf8), on: connection)
        case .serverError:
            LoopbackSocket.respond(500, headers: json, body: Array(
                #"{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","code":null}}"#.utf8), on: connection)
        case .slow(let seconds), .beyondTimeout(let seconds):
            Thread.sleep(forTimeInterval: seconds)
            success()
        case .garbage:
            // 200 with a body that is not the API's JSON: unusable, a permanent failure.
            var bytes = [UInt8]("<html><body>upstream garbage \u{1}\u{2}".utf8)
            bytes += (0..<512).map { _ in UInt8.random(in: 0...255) }
            LoopbackSocket.respond(200, headers: [("Content-Type", "text/html")], body: bytes, on: connection)
        }
    }
}

private extension ContinuousClock.Instant {
    /// Seconds on the monotonic clock since a fixed instant, for the rate window's
    /// arithmetic (may be negative: the instant is taken on first use, after `self`).
    var secondsSinceBoot: Double {
        let components = (self - ContinuousClock.Instant.reference).components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    static let reference = ContinuousClock.now
}
