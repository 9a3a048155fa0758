import Foundation
import Imaging
import Mockups
import PNG
import Testing

@Suite("Template catalogue")
struct TemplateCatalogTests {
    @Test("the shipped catalogue passes check() and covers 3 types × 5 colours × 2 kinds")
    func shippedCatalogueIsValid() throws {
        let catalog = try Fixtures.shippedCatalog()
        let problems = catalog.check()
        #expect(problems.isEmpty, "\(problems)")
        for type in ["tshirt", "hoodie", "tank"] {
            for color in ["black", "white", "navy", "heather_grey", "red"] {
                for kind in MockupKind.allCases {
                    let resolved = try catalog.lookup(productType: type, color: color, kind: kind)
                    #expect(!resolved.isFallback)
                    #expect(resolved.color == color && resolved.productType == type)
                }
            }
        }
    }

    @Test("a missing colour falls back to the type's declared default, with the reason recorded")
    func missingColourFallsBack() throws {
        let catalog = try Fixtures.shippedCatalog()
        let resolved = try catalog.lookup(productType: "hoodie", color: "purple", kind: .mrImagine)
        #expect(resolved.isFallback)
        #expect(resolved.color == catalog.manifest.productTypes["hoodie"]?.defaultColor)
        #expect(resolved.fallbackReason?.contains("purple") == true)
        let info = TemplateInfo(resolved, rendererVersion: MockupRenderer.version)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(info)) as? [String: Any])
        #expect(json["fallback"] as? Bool == true)
        #expect((json["fallback_reason"] as? String)?.contains("purple") == true)
        #expect(json["product_type"] as? String == "hoodie")
        #expect(json["requested_color"] as? String == "purple")
        #expect(json["template_id"] as? String == resolved.entry.id)
        #expect(json["template_version"] as? Int == 1)
        #expect((json["print_area"] as? [String: Any])?["corners"] != nil)
        #expect(json["renderer_version"] as? String == MockupRenderer.version)
    }

    @Test("an unknown product type falls back to the default product type")
    func missingTypeFallsBack() throws {
        let catalog = try Fixtures.shippedCatalog()
        let resolved = try catalog.lookup(productType: "sweater", color: "navy", kind: .flatLay)
        #expect(resolved.isFallback)
        #expect(resolved.productType == catalog.manifest.defaultProductType)
        #expect(resolved.fallbackReason?.contains("sweater") == true)
    }

    @Test("template_info of an exact match has fallback false and a null reason")
    func exactMatchInfo() throws {
        let resolved = try Fixtures.shippedCatalog().lookup(productType: "tank", color: "red", kind: .flatLay)
        let info = TemplateInfo(resolved, rendererVersion: MockupRenderer.version)
        let text = String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
        #expect(text.contains("\"fallback\":false"))
        #expect(text.contains("\"fallback_reason\":null"))
        #expect(try JSONDecoder().decode(TemplateInfo.self, from: Data(text.utf8)) == info)
    }

    @Test("check() reports a broken manifest's problems")
    func brokenManifest() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let image = try Fixtures.png(RGBAImage(width: 100, height: 80, fill: RGBA(200, 200, 200)))
        try Data(image).write(to: URL(fileURLWithPath: directory + "/ok.png"))
        try Data("hello".utf8).write(to: URL(fileURLWithPath: directory + "/not-a-png.png"))
        let manifest = """
        {
          "manifest_version": 1,
          "default_product_type": "tshirt",
          "product_types": {
            "tshirt": {
              "default_color": "white",
              "colors": {
                "black": {
                  "flat_lay": {"id": "a", "version": 1, "image": "missing.png", "print_area": {"x": 0, "y": 0, "width": 10, "height": 10}},
                  "mr_imagine": {"id": "b", "version": 1, "image": "ok.png", "corners": [[10, 10], [90, 70], [90, 10], [10, 70]]}
                },
                "red": {
                  "flat_lay": {"id": "c", "version": 1, "image": "ok.png", "print_area": {"x": 50, "y": 40, "width": 60, "height": 20}},
                  "mr_imagine": {"id": "c", "version": 1, "image": "not-a-png.png", "corners": [[10, 10], [90, 10], [90, 70], [10, 70]]}
                }
              }
            }
          }
        }
        """
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: directory + "/manifest.json"))
        let problems = try TemplateCatalog(directory: directory).check()
        let text = problems.map(\.description)
        func has(_ location: String, _ phrase: String) -> Bool {
            text.contains { $0.hasPrefix(location) && $0.contains(phrase) }
        }
        #expect(has("product_types.tshirt.default_color", "white"), "\(text)")
        #expect(has("product_types.tshirt.colors.black.flat_lay.image", "missing"), "\(text)")
        #expect(has("product_types.tshirt.colors.black.mr_imagine.print_area", "convex"), "\(text)")
        #expect(has("product_types.tshirt.colors.red.flat_lay.print_area", "outside"), "\(text)")
        #expect(has("product_types.tshirt.colors.red.mr_imagine", "also used"), "\(text)")
        #expect(has("product_types.tshirt.colors.red.mr_imagine.image", "not a PNG"), "\(text)")
        #expect(problems.count == 6, "\(text)")
    }

    @Test("a malformed manifest is rejected with the key path")
    func malformedManifest() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(#"{"manifest_version": 1, "product_types": {"tshirt": {"colors": {}}}}"#.utf8)
            .write(to: URL(fileURLWithPath: directory + "/manifest.json"))
        let error = #expect(throws: MockupError.self) { try TemplateCatalog(directory: directory) }
        #expect(error?.code == .manifestInvalid)
        #expect(error?.description.contains("default_color") == true)
    }

    @Test("ITP_TEMPLATES_DIR chooses the catalogue directory")
    func directorySetting() {
        #expect(TemplateCatalog.directory(environment: ["ITP_TEMPLATES_DIR": "/srv/templates"]) == "/srv/templates")
        #expect(TemplateCatalog.directory(environment: [:]) == "templates")
    }
}
