/// Every failure of this module: transport failures from libcurl, and for
/// ``S3Client`` the statuses that mean "not there" or "not allowed".
///
/// `description` is generic and never carries URLs' queries, headers, bodies
/// or credentials; libcurl's own message is kept in `debugDescription`.
public struct HTTPError: Error, Sendable {
    /// What went wrong, as a stable, extensible code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable {
            case connectTimeout, timeout, responseTooLarge, connectionFailed, connectionReset
            case resolve, tls, invalidRequest, cancelled, notFound, accessDenied, unexpectedStatus, other
        }

        fileprivate let base: Base

        /// Resolving, connecting or the TLS handshake took longer than `connectTimeout`.
        public static let connectTimeout = Code(base: .connectTimeout)
        /// The transfer exceeded `totalTimeout` or fell below the low-speed limit.
        public static let timeout = Code(base: .timeout)
        /// The response body is (or announced it would be) larger than `maxResponseBytes`.
        public static let responseTooLarge = Code(base: .responseTooLarge)
        /// The connection was refused or the host was unreachable.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// The connection broke mid-transfer, or the server sent nothing.
        public static let connectionReset = Code(base: .connectionReset)
        /// The host name could not be resolved.
        public static let resolve = Code(base: .resolve)
        /// TLS handshake or certificate verification failed.
        public static let tls = Code(base: .tls)
        /// The request itself is malformed (bad URL, header injection, unsupported scheme).
        public static let invalidRequest = Code(base: .invalidRequest)
        /// The calling task was cancelled and the transfer aborted.
        public static let cancelled = Code(base: .cancelled)
        /// S3: the object (or bucket) does not exist (404).
        public static let notFound = Code(base: .notFound)
        /// S3: the credentials or signature were rejected, or access is denied (401/403).
        public static let accessDenied = Code(base: .accessDenied)
        /// S3: any other non-success status; see ``HTTPError/status``.
        public static let unexpectedStatus = Code(base: .unexpectedStatus)
        /// Anything else libcurl reported.
        public static let other = Code(base: .other)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The HTTP status when the error was decided from a response.
    public let status: Int?
    /// `Retry-After` of that response in seconds, when it had one.
    public let retryAfterSeconds: Int64?
    /// libcurl's `CURLcode`, when the error came from libcurl.
    public let curlCode: Int?
    /// libcurl's error text or the service's error code; for logs, may name hosts.
    let detail: String

    init(code: Code, status: Int? = nil, retryAfterSeconds: Int64? = nil, curlCode: Int? = nil, detail: String = "") {
        self.code = code
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.curlCode = curlCode
        self.detail = detail
    }

    /// An error for a response the caller cannot use, keeping its status and
    /// `Retry-After`: 429 → ``isRateLimited``, 408/429/5xx → ``isRetriable``,
    /// other statuses permanent. For API clients built on ``HTTPClient``.
    public init(unexpectedStatusOf response: HTTPResponse) {
        self.init(
            code: .unexpectedStatus,
            status: response.status,
            retryAfterSeconds: response.retryAfterSeconds(),
            detail: "status \(response.status)"
        )
    }

    /// Worth retrying the same request later: timeouts, connection trouble,
    /// and 429/5xx statuses.
    public var isRetriable: Bool {
        switch code.base {
        case .connectTimeout, .timeout, .connectionFailed, .connectionReset, .resolve:
            true
        case .unexpectedStatus:
            status.map { $0 == 429 || $0 == 408 || $0 >= 500 } ?? false
        case .responseTooLarge, .tls, .invalidRequest, .cancelled, .notFound, .accessDenied, .other:
            false
        }
    }

    /// The server asked to slow down (429, or S3's 503 SlowDown).
    public var isRateLimited: Bool {
        code == .unexpectedStatus && (status == 429 || (status == 503 && detail.contains("SlowDown")))
    }

    public var isTimeout: Bool {
        code == .connectTimeout || code == .timeout
    }
}

extension HTTPError: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        if let status {
            return "HTTPError.\(code) (status \(status))"
        }
        return "HTTPError.\(code)"
    }

    public var debugDescription: String {
        var text = description
        if let curlCode { text += " curl=\(curlCode)" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
