import FleetTesting
import Testing
@testable import HTTPTransport

@Suite("HTTPClient against a local server")
struct HTTPClientTests {
    let server: TestHTTPServer

    init() throws {
        server = try TestHTTPServer()
    }

    private func client(
        totalTimeout: Duration = .seconds(10),
        maxResponseBytes: Int = 1 << 20
    ) -> HTTPClient {
        HTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(5),
            totalTimeout: totalTimeout,
            maxResponseBytes: maxResponseBytes
        ))
    }

    /// Runs `body` and returns the HTTPError it threw, or `nil` when it succeeded.
    private func httpError(_ body: () async throws -> HTTPResponse) async -> HTTPError? {
        do {
            _ = try await body()
            return nil
        } catch let error as HTTPError {
            return error
        } catch {
            Issue.record("expected an HTTPError, got \(error)")
            return nil
        }
    }

    @Test func jsonResponse() async throws {
        let response = try await client().perform(HTTPRequest(url: server.baseURL + "/json"))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.bodyText == #"{"ok":true}"#)
    }

    @Test func blockingPerformReturnsTheSameResponse() async throws {
        let client = client()
        let url = server.baseURL + "/json"
        let response = try await offPool { try client.perform(HTTPRequest(url: url)) }
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"ok":true}"#)
    }

    @Test func rateLimitedIsAResponseWithRetryAfter() async throws {
        let response = try await client().perform(HTTPRequest(url: server.baseURL + "/rate-limited"))
        #expect(response.status == 429)
        #expect(response.retryAfterSeconds() == 7)

        let error = HTTPError(unexpectedStatusOf: response)
        #expect(error.isRateLimited)
        #expect(error.isRetriable)
        #expect(error.retryAfterSeconds == 7)
    }

    @Test func totalTimeoutAndOversizedBodyGiveDistinctClassifiedErrors() async throws {
        let timeout = await httpError {
            try await client(totalTimeout: .milliseconds(500)).perform(HTTPRequest(url: server.baseURL + "/slow"))
        }
        let tooLarge = await httpError {
            try await client(maxResponseBytes: 1 << 20).perform(HTTPRequest(url: server.baseURL + "/huge"))
        }
        let timeoutError = try #require(timeout)
        let tooLargeError = try #require(tooLarge)

        #expect(timeoutError.code == .timeout)
        #expect(timeoutError.isTimeout)
        #expect(timeoutError.isRetriable)

        #expect(tooLargeError.code == .responseTooLarge)
        #expect(!tooLargeError.isTimeout)
        #expect(!tooLargeError.isRetriable)

        #expect(timeoutError.code != tooLargeError.code)
    }

    @Test func declaredContentLengthAboveLimitIsRejectedUpFront() async throws {
        let error = await httpError {
            try await client(maxResponseBytes: 1 << 20).perform(HTTPRequest(url: server.baseURL + "/huge-declared"))
        }
        #expect(error?.code == .responseTooLarge)
    }

    @Test func bodyExactlyAtTheLimitIsAccepted() async throws {
        let body = [UInt8](repeating: 7, count: 4096)
        let response = try await client(maxResponseBytes: 4096).perform(
            HTTPRequest(method: .post, url: server.baseURL + "/echo", body: body)
        )
        #expect(response.body == body)
    }

    @Test func headersRoundTripWithCaseInsensitiveAndRepeatedLookup() async throws {
        let request = HTTPRequest(url: server.baseURL + "/headers", headers: ["X-Trace-Id": "abc-123", "Accept": "application/json"])
        let response = try await client().perform(request)
        #expect(response.status == 204)
        #expect(response.headers["x-echo-x-trace-id"] == "abc-123")
        #expect(response.headers["X-ECHO-ACCEPT"] == "application/json")
        #expect(response.headers["x-echo-user-agent"] == "itp-fleet/1")
        #expect(response.headers.values(for: "X-Multi") == ["first", "second"])
    }

    @Test func postBodyIsEchoedByteForByte() async throws {
        let body: [UInt8] = Array(0...255) + Array(#"{"prompt":"a cat"}"#.utf8)
        let request = HTTPRequest(method: .post, url: server.baseURL + "/echo", headers: ["Content-Type": "application/json"], body: body)
        let response = try await client().perform(request)
        #expect(response.status == 200)
        #expect(response.body == body)
        #expect(response.headers["X-Method"] == "POST")
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test func putWithoutContentTypeIsLabelledOctetStreamNotForm() async throws {
        let response = try await client().perform(HTTPRequest(method: .put, url: server.baseURL + "/echo", body: [1, 2, 3]))
        #expect(response.headers["X-Method"] == "PUT")
        #expect(response.headers["Content-Type"] == "application/octet-stream")
        #expect(response.body == [1, 2, 3])
    }

    @Test func connectionRefusedIsConnectionFailed() async throws {
        let port = try freeLoopbackPort()
        let error = await httpError { try await client().perform(HTTPRequest(url: "http://127.0.0.1:\(port)/")) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isRetriable == true)
    }

    @Test func closedWithoutResponseIsConnectionReset() async throws {
        let error = await httpError { try await client().perform(HTTPRequest(url: server.baseURL + "/reset")) }
        #expect(error?.code == .connectionReset)
        #expect(error?.isRetriable == true)
    }

    @Test func headerInjectionIsRejectedBeforeSending() async throws {
        let request = HTTPRequest(url: server.baseURL + "/json", headers: ["X-Evil": "a\r\nHost: elsewhere"])
        let error = await httpError { try await client().perform(request) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func nonHTTPSchemeIsRejected() async throws {
        let error = await httpError { try await client().perform(HTTPRequest(url: "file:///etc/passwd")) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func cancellingBeforeTheTransferStartsAbortsIt() async throws {
        let client = client(totalTimeout: .seconds(60))
        let url = server.baseURL + "/slow"
        let task = Task { () async -> HTTPError? in
            do throws(HTTPError) {
                _ = try await client.perform(HTTPRequest(url: url))
                return nil
            } catch {
                return error
            }
        }
        task.cancel()
        let error = await task.value
        #expect(error?.code == .cancelled)
    }

    @Test func cancellingMidTransferAbortsIt() async throws {
        let client = client(totalTimeout: .seconds(120))
        let url = server.baseURL + "/slow"
        let ended = TestHTTPServer.Counter()
        let task = Task { () async -> HTTPError? in
            defer { ended.increment() }
            do throws(HTTPError) {
                _ = try await client.perform(HTTPRequest(url: url))
                return nil
            } catch {
                return error
            }
        }
        // Cancel only once the server holds the request. On a loaded machine the transfer
        // can take many seconds to start; if it ends before it ever reached the server,
        // that is the failure to report, not a timeout of this wait.
        try await waitUntil("the /slow request to reach the server or the transfer to end") {
            server.slowRequestsArrived.current > 0 || ended.current > 0
        }
        guard server.slowRequestsArrived.current == 1 else {
            let error = await task.value
            Issue.record("the transfer ended before the server held it: \(String(describing: error))")
            return
        }
        task.cancel()
        let error = await task.value
        #expect(error?.code == .cancelled)
    }
}
