import Testing
@testable import HTTPTransport

@Suite("HTTPError classification")
struct HTTPErrorTests {
    @Test func operationTimeoutSplitsOnWhetherTheConnectionWasMade() {
        #expect(HTTPError.Code(curlCode: 28 /* CURLE_OPERATION_TIMEDOUT */, connected: false, bodyLimitExceeded: false) == .connectTimeout)
        #expect(HTTPError.Code(curlCode: 28 /* CURLE_OPERATION_TIMEDOUT */, connected: true, bodyLimitExceeded: false) == .timeout)
    }

    @Test func writeErrorIsTooLargeOnlyWhenTheLimitWasHit() {
        #expect(HTTPError.Code(curlCode: 23 /* CURLE_WRITE_ERROR */, connected: true, bodyLimitExceeded: true) == .responseTooLarge)
        #expect(HTTPError.Code(curlCode: 23 /* CURLE_WRITE_ERROR */, connected: true, bodyLimitExceeded: false) == .other)
        #expect(HTTPError.Code(curlCode: 63 /* CURLE_FILESIZE_EXCEEDED */, connected: true, bodyLimitExceeded: false) == .responseTooLarge)
    }

    @Test(arguments: [
        (7 /* CURLE_COULDNT_CONNECT */, HTTPError.Code.connectionFailed),
        (6 /* CURLE_COULDNT_RESOLVE_HOST */, .resolve),
        (56 /* CURLE_RECV_ERROR */, .connectionReset),
        (55 /* CURLE_SEND_ERROR */, .connectionReset),
        (52 /* CURLE_GOT_NOTHING */, .connectionReset),
        (60 /* CURLE_PEER_FAILED_VERIFICATION */, .tls),
        (35 /* CURLE_SSL_CONNECT_ERROR */, .tls),
        (3 /* CURLE_URL_MALFORMAT */, .invalidRequest),
        (42 /* CURLE_ABORTED_BY_CALLBACK */, .cancelled),
        (47 /* CURLE_TOO_MANY_REDIRECTS */, .other),
    ])
    func curlCodesMapToCodes(curlCode: Int, expected: HTTPError.Code) {
        #expect(HTTPError.Code(curlCode: curlCode, connected: true, bodyLimitExceeded: false) == expected)
    }

    @Test func retriabilityFollowsTheErrorClasses() {
        #expect(HTTPError(code: .connectTimeout).isRetriable)
        #expect(HTTPError(code: .connectionReset).isRetriable)
        #expect(HTTPError(code: .unexpectedStatus, status: 503).isRetriable)
        #expect(HTTPError(code: .unexpectedStatus, status: 429).isRetriable)
        #expect(HTTPError(code: .unexpectedStatus, status: 429).isRateLimited)
        #expect(!HTTPError(code: .unexpectedStatus, status: 400).isRetriable)
        #expect(!HTTPError(code: .responseTooLarge).isRetriable)
        #expect(!HTTPError(code: .notFound, status: 404).isRetriable)
        #expect(!HTTPError(code: .accessDenied, status: 403).isRetriable)
        #expect(!HTTPError(code: .tls).isRetriable)
    }

    @Test(arguments: [(500, true), (503, true), (408, true), (400, false), (401, false), (404, false), (422, false)])
    func unexpectedStatusClassification(status: Int, retriable: Bool) {
        let error = HTTPError(unexpectedStatusOf: HTTPResponse(status: status))
        #expect(error.code == .unexpectedStatus)
        #expect(error.isRetriable == retriable)
        #expect(!error.isRateLimited)
    }

    @Test func descriptionIsGenericAndDetailOnlyInDebugDescription() {
        let error = HTTPError(code: .timeout, curlCode: 28, detail: "Operation timed out after 500 milliseconds")
        #expect(error.description == "HTTPError.timeout")
        #expect(error.debugDescription.contains("Operation timed out"))
        #expect(error.debugDescription.contains("curl=28"))
    }

    @Test func credentialsNeverPrintTheSecret() {
        let credentials = AWSSigV4Credentials(accessKeyID: "AKID", secretAccessKey: "s3cr3t-value", region: "eu-central-1", service: "s3")
        #expect(!"\(credentials)".contains("s3cr3t-value"))
        #expect(!String(reflecting: credentials).contains("s3cr3t-value"))
        let configuration = S3Configuration(endpoint: "http://x", region: "r", bucket: "b", accessKeyID: "AKID", secretAccessKey: "s3cr3t-value")
        #expect(!"\(configuration)".contains("s3cr3t-value"))
        let request = HTTPRequest(url: "https://api.example/v1?key=s3cr3t-value", headers: ["Authorization": "Bearer s3cr3t-value"])
        #expect(!"\(request)".contains("s3cr3t-value"))
    }
}
