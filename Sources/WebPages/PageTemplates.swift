import Crypto
public import Foundation
public import Hummingbird
public import HTTPTypes
public import Mustache

/// A surface's pages: one Mustache file per page (partials for the shared parts) from a
/// resource folder, and a few static files served from memory with an `ETag`, loaded once at
/// boot. Every HTML answer carries the same security headers.
public struct PageTemplates: Sendable {
    public struct StaticFile: Sendable {
        public var bytes: [UInt8]
        public var contentType: String
        public var etag: String
    }

    public let library: MustacheLibrary
    public let files: [String: StaticFile]

    /// No caching of personal pages, a policy that allows only this origin's own styles,
    /// scripts, images and event streams, and no framing.
    public static let securityHeaders: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        (.contentTypeOptions, "nosniff"),
        (.referrerPolicy, "same-origin"),
        (.cacheControl, "no-store"),
    ]

    /// Loads `pages/*.mustache` and the named files of `static/` under `resources`.
    /// - Throws: ``PageTemplatesError`` when a template is missing or does not parse (a packaging error, at boot).
    public static func load(resources: URL, staticFiles: [(name: String, contentType: String)]) throws -> PageTemplates {
        let pagesURL = resources.appendingPathComponent("pages"), staticURL = resources.appendingPathComponent("static")
        var templates: [String: MustacheTemplate] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: pagesURL.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: pagesURL.appendingPathComponent(name), encoding: .utf8)
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                throw PageTemplatesError(description: "template \(name) does not parse: \(error)")
            }
        }
        var files: [String: StaticFile] = [:]
        for (name, type) in staticFiles {
            let bytes = Array(try Data(contentsOf: staticURL.appendingPathComponent(name)))
            let digest = SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined()
            files[name] = StaticFile(bytes: bytes, contentType: type, etag: "\"\(digest)\"")
        }
        return PageTemplates(library: MustacheLibrary(templates: templates), files: files)
    }

    /// The page `template` rendered with `model` as an HTML response.
    public func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) throws -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            throw PageTemplatesError(description: "no template named \(template)")
        }
        return Self.html(html, status: status, headers: extra)
    }

    public static func html(_ html: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        for (name, value) in securityHeaders { headers[name] = value }
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A static file: cached for a day, revalidated by `ETag` (304 on `If-None-Match`).
    public func staticFile(_ name: String, request: Request) throws -> Response {
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

    /// A 303 to `location` (forms post, then redirect).
    public static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// A page template that is missing or broken: a packaging error.
public struct PageTemplatesError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
