import AssetImages
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// `GET /v1/assets/{id}/content[?width=256|512|1024]`: an image at full size or as a
/// thumbnail, with `ETag` and `Cache-Control`, and 304 for a matching `If-None-Match`
/// (answered from the asset's row, without reading storage).
///
/// Who may see it: the ``Caller`` in the request context (an API key's owner, or whatever
/// else put a caller there), or anyone holding a URL signed by ``ImageURLSigner`` for this
/// asset and width (`expires` + `signature`), which is what a public page embeds.
struct AssetRoutes: Sendable {
    typealias Context = IntakeRequestContext

    let database: PostgresClient
    let images: AssetImageStore
    let signer: ImageURLSigner

    /// Responses to an API key are for that owner only and may be kept an hour.
    static let privateCacheControl = "private, max-age=3600"
    /// A signed URL's image may be cached by anyone until the URL expires, at most this long.
    static let publicMaxAgeSeconds = 86_400

    func content(_ request: Request, context: Context) async throws -> Response {
        let id = try context.pathID()
        let query = request.uri.queryParameters
        let width = try Self.width(query["width"].map(String.init))
        let owner: UUID?, cacheControl: String
        if Self.isSigned(request) {
            let expires = try verify(
                id, width: width, expires: query["expires"].map(String.init), signature: query["signature"].map(String.init))
            let remaining = max(0, min(expires - Int(Date().timeIntervalSince1970), Self.publicMaxAgeSeconds))
            owner = nil
            cacheControl = "public, max-age=\(remaining)"
        } else {
            owner = try context.requireCaller().ownerID
            cacheControl = Self.privateCacheControl
        }
        let stored = try await AssetContent(owner: owner, assetID: id).load(database: database)
        var headers = HTTPFields()
        headers[.eTag] = stored.entityTag(width).description
        headers[.cacheControl] = cacheControl
        if let condition = request.headers[.ifNoneMatch], stored.entityTag(width).matches(ifNoneMatch: condition) {
            return Response(status: .notModified, headers: headers)
        }
        let served = try await images.image(stored, width: width)
        headers[.contentType] = served.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: served.bytes)))
    }

    /// A request that carries signed-URL parameters is judged by them alone (an API key
    /// beside them changes nothing).
    static func isSigned(_ request: Request) -> Bool {
        let query = request.uri.queryParameters
        return query["signature"] != nil || query["expires"] != nil
    }

    static func width(_ parameter: String?) throws -> ThumbnailWidth? {
        guard let parameter else { return nil }
        guard let width = ThumbnailWidth(parameter: parameter) else {
            throw APIProblem.validation("width must be \(ThumbnailWidth.allowedText) (omit it for full size)", field: "width")
        }
        return width
    }

    private func verify(_ id: UUID, width: ThumbnailWidth?, expires: String?, signature: String?) throws -> Int {
        switch signer.verify(id, width: width, expires: expires, signature: signature) {
        case .valid(let expires): return expires
        case .invalid: throw APIProblem.signatureInvalid
        case .expired: throw APIProblem.urlExpired
        }
    }
}
