import Foundation
import HTTPTypes
import Hummingbird
import WebPages

/// The builder's templates (one Mustache file per page, partials for the shared parts, all in
/// the `pages` resource folder) and its two static files, loaded once at boot through the
/// shared ``PageTemplates`` (the console's pages load the same way).
struct BuilderPages: Sendable {
    let templates: PageTemplates

    /// - Throws: when a template is missing or does not parse (a packaging error, at boot).
    static func load() throws -> BuilderPages {
        guard let resources = Bundle.module.resourceURL else { throw IntakeError.unexpected("the Intake resource bundle is missing") }
        return BuilderPages(templates: try PageTemplates.load(
            resources: resources,
            staticFiles: [("builder.css", "text/css; charset=utf-8"), ("live.js", "text/javascript; charset=utf-8")]))
    }

    /// The page `template` rendered with `model` as an HTML response.
    func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) throws -> Response {
        try templates.page(template, model, status: status, headers: extra)
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        PageTemplates.html(html, status: status, headers: extra)
    }

    /// `/ui/static/{file}`: cached for a day, revalidated by `ETag` (304 on `If-None-Match`).
    func staticFile(_ name: String, request: Request) throws -> Response {
        try templates.staticFile(name, request: request)
    }
}
