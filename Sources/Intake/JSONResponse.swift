import Foundation
import Hummingbird

/// Builds JSON responses: snake_case keys are spelled out by each view's `CodingKeys`,
/// keys are sorted (stable output for caches and tests), dates are RFC 3339.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func make(_ status: HTTPResponse.Status, _ value: some Encodable, headers extra: HTTPFields = [:]) throws -> Response {
        make(status, body: try encode(value), headers: extra)
    }

    /// `value` as the JSON body a response would carry (for answers kept in memory).
    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try encoder.encode(value))
    }

    /// A response with a body already encoded by ``encode(_:)``.
    static func make(_ status: HTTPResponse.Status, body: ByteBuffer, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = MediaTypes.json
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
