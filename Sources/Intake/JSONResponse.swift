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
        var headers = extra
        headers[.contentType] = MediaTypes.json
        let data = try encoder.encode(value)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
