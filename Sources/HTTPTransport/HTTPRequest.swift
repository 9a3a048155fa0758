/// One HTTP request: what to send, not how (timeouts and limits live in
/// ``HTTPClientConfiguration``).
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// An absolute `http://` or `https://` URL, already percent-encoded.
    public var url: String
    public var headers: HTTPHeaders
    /// The request body; `nil` sends none. An empty array sends `Content-Length: 0`.
    public var body: [UInt8]?
    /// When set, libcurl signs the request with AWS Signature Version 4.
    public var awsSigV4: AWSSigV4Credentials?
    /// `host:port:address` entries (`CURLOPT_RESOLVE`): connect to these addresses instead of
    /// resolving the names again, e.g. to the address an outbound-safety check approved.
    public var resolve: [String] = []

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        awsSigV4: AWSSigV4Credentials? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.awsSigV4 = awsSigV4
    }
}

extension HTTPRequest: CustomStringConvertible {
    /// Method and URL without query, headers or body, so logs never carry
    /// credentials that may sit in any of them.
    public var description: String {
        let withoutQuery = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        return "\(method) \(withoutQuery)"
    }
}
