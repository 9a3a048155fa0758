import Foundation

/// The hand-written OpenAPI 3.1 document of this API (`openapi.yaml`, a resource of this
/// module), served at `/openapi.yaml`. The tests hold the server to it: every documented
/// operation is routed, every route is documented, and responses carry documented
/// status codes and content types.
public enum OpenAPIDocument {
    /// The document's text.
    /// - Throws: when the resource is missing from the build (a packaging error).
    public static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw IntakeError.unexpected("openapi.yaml is missing from the Intake resource bundle")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
