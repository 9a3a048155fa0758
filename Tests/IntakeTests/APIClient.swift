import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// HummingbirdTesting's client with the API's conventions, holding every response to
/// the OpenAPI document: a status or content type the document does not list for that
/// operation is a test failure, whatever the test itself checks.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let contract: OpenAPIContract

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, as owner: IntakeFixture.Owner?, json: String? = nil,
        headers extra: HTTPFields = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Reply {
        var headers = extra
        if let owner { headers[.authorization] = owner.authorization }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let reply = Reply(status: response.status.code, headers: response.headers, body: Array(response.body.readableBytesView))
        contract.check(method: method.rawValue, path: path, status: reply.status, contentType: reply.contentType,
                       sourceLocation: sourceLocation)
        return reply
    }

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPFields
        var body: [UInt8]

        var contentType: String? { headers[.contentType] }
        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }

        /// The problem's `code`, for error replies.
        var code: String? { json["code"] as? String }
        var field: String? { json["field"] as? String }
        var id: UUID? { (json["id"] as? String).flatMap(UUID.init(uuidString:)) }
    }
}

extension Dictionary where Key == String, Value == Any {
    subscript(object key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
    subscript(array key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
}
