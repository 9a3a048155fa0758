import Foundation
import Mockups
import Settings

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

    /// The document as served: `product_type` and `shirt_color` of `CreateProduct` declare
    /// the running catalogue's names as `enum`s (the catalogue is data ops replace, so the
    /// file cannot list them), and `candidates` the configured maximum
    /// (`ITP_DESIGN_CANDIDATES_MAX`; the file states the default). A colour that only some
    /// types have is still refused for the others (400, field `shirt_color`), as the
    /// member's description says.
    /// - Throws: when the document lacks the members it annotates.
    static func served(catalog: TemplateCatalog, maxCandidates: Int) throws -> String {
        var text = try text()
        let limits = "        candidates:\n          type: integer\n          minimum: 1\n"
        let documented = limits + "          maximum: \(ProductFlowDefaults.candidatesMax)\n          default: \(ProductFlowDefaults.candidates)\n"
        guard let range = text.range(of: documented) else {
            throw IntakeError.unexpected("openapi.yaml: CreateProduct.candidates does not state the default maximum")
        }
        text.replaceSubrange(range, with: limits + "          maximum: \(maxCandidates)\n          default: \(min(ProductFlowDefaults.candidates, maxCandidates))\n")
        let types = catalog.manifest.productTypes.keys.filter(ProductDraft.isCatalogueName).sorted()
        let colors = Set(catalog.manifest.productTypes.values.flatMap(\.colors.keys)).filter(ProductDraft.isCatalogueName).sorted()
        for (member, names) in [("product_type", types), ("shirt_color", colors)] {
            let anchor = "        \(member):\n          type: string\n"
            guard let range = text.range(of: anchor) else {
                throw IntakeError.unexpected("openapi.yaml: CreateProduct.\(member) is not where served(catalog:) annotates it")
            }
            text.replaceSubrange(range, with: anchor + "          enum: [\(names.joined(separator: ", "))]\n")
        }
        return text
    }
}
