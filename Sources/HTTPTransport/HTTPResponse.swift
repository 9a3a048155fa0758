/// A complete HTTP response. Any status is a response, not an error: callers
/// decide what a 404 or a 429 means for them.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header fields of the final response (interim `100 Continue` headers are dropped).
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as UTF-8, with invalid sequences repaired.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
