import Foundation
public import Hummingbird

extension APIProblem: HTTPResponseError {
    /// The problem as `application/problem+json`, with `Retry-After` when set.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = MediaTypes.problemJSON
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if let allow { headers[.allow] = allow.joined(separator: ", ") }
        // RFC 9110 §11.6.1: a 401 names the scheme the client should use.
        if code == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="itp""# }
        let body = Body(type: type, title: title, status: status.code, detail: detail, code: code.rawValue, field: field,
                        products: products)
        let data = (try? JSONResponse.encoder.encode(body)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var code: String
        var field: String?
        var products: [String]?
    }
}
