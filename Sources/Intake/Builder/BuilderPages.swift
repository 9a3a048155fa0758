import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The builder's templates (one Mustache file per page, partials for the shared parts, all in
/// the `pages` resource folder) and its two static files, loaded once at boot. Pages are
/// rendered per request; the static files are served from memory with an `ETag`.
struct BuilderPages: Sendable {
    struct StaticFile: Sendable {
        var bytes: [UInt8]
        var contentType: String
        var etag: String
    }

    let library: MustacheLibrary
    let files: [String: StaticFile]

    /// Every HTML answer: no caching of personal pages, a policy that allows only this origin's
    /// own styles, scripts, images and event streams, and no framing.
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        (.contentTypeOptions, "nosniff"),
        (.referrerPolicy, "same-origin"),
        (.cacheControl, "no-store"),
    ]

    /// - Throws: when a template is missing or does not parse (a packaging error, at boot).
    static func load() throws -> BuilderPages {
        guard let resources = Bundle.module.resourceURL else { throw IntakeError.unexpected("the Intake resource bundle is missing") }
        let pagesURL = resources.appendingPathComponent("pages"), staticURL = resources.appendingPathComponent("static")
        var templates: [String: MustacheTemplate] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: pagesURL.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: pagesURL.appendingPathComponent(name), encoding: .utf8)
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                throw IntakeError.unexpected("builder template \(name) does not parse: \(error)")
            }
        }
        var files: [String: StaticFile] = [:]
        for (name, type) in [("builder.css", "text/css; charset=utf-8"), ("live.js", "text/javascript; charset=utf-8")] {
            let bytes = Array(try Data(contentsOf: staticURL.appendingPathComponent(name)))
            let digest = SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined()
            files[name] = StaticFile(bytes: bytes, contentType: type, etag: "\"\(digest)\"")
        }
        return BuilderPages(library: MustacheLibrary(templates: templates), files: files)
    }

    /// The page `template` rendered with `model` as an HTML response.
    func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) throws -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            throw IntakeError.unexpected("no builder template named \(template)")
        }
        return Self.html(html, status: status, headers: extra)
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        for (name, value) in securityHeaders { headers[name] = value }
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// `/ui/static/{file}`: cached for a day, revalidated by `ETag` (304 on `If-None-Match`).
    func staticFile(_ name: String, request: Request) throws -> Response {
        guard let file = files[name] else { throw PageProblem.notFound }
        var headers = HTTPFields()
        headers[.eTag] = file.etag
        headers[.cacheControl] = "public, max-age=86400"
        headers[.contentTypeOptions] = "nosniff"
        if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == file.etag }) == true {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
