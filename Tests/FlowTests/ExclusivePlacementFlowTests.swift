import FleetTesting
import Foundation
import HTTPTransport
import Mockups
import PNG
import Testing

/// Placements through the real fleet (API → gallery): a left-chest t-shirt and a full-back
/// hoodie get DTF files of their placement's physical size at 300 DPI and mockups whose
/// ink sits where the placement maps (flat-lay ink box within 2 px; the mr_imagine ink
/// reaches each edge of the mapped quad within 3 px and never crosses it — the builtin art
/// need not be rectangular, so its corners are measured in the Mockups suite with a solid
/// design); then a template version bump and `itp-admin templates rerender` re-render the
/// t-shirt's flat-lay while it stays `ready_for_sale`.
@Suite(.serialized) struct ExclusivePlacementFlowTests {
    @Test func placementsDriveThePrintFileAndBothMockupsAndATemplateBumpReRenders() async throws {
        // The flat-lay worker reads a copy of the catalogue, so the test can bump a version.
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("flow-templates")).path
        try FileManager.default.copyItem(atPath: Fleet.repository.appendingPathComponent("templates").path, toPath: templates)
        defer { try? FileManager.default.removeItem(atPath: templates) }
        let fleet = try await Fleet(credits: 5, flatLayTemplates: templates)
        do {
            try await run(fleet, templates: templates)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }

    struct Made {
        var id: String
        var type: String
        var color: String
        var placement: Placement
        var dtf: (id: String, width: Int, height: Int)
    }

    private func run(_ fleet: Fleet, templates: String) async throws {
        try await fleet.waitUntilServing()
        let catalog = try TemplateCatalog(directory: templates)
        var made: [Made] = []
        for (type, color, preset) in [("tshirt", "navy", "left_chest"), ("hoodie", "black", "full_back")] {
            let created = try await fleet.object(.post, "/v1/products", json: """
                {"prompt":"a lighthouse in a storm, bold badge","product_type":"\(type)","shirt_color":"\(color)",
                 "candidates":1,"placement":"\(preset)"}
                """)
            let id = try #require(created["id"] as? String)
            let placement = try #require(catalog.manifest.productTypes[type]?.preset(preset))
            made.append(Made(id: id, type: type, color: color, placement: placement, dtf: ("", 0, 0)))
        }
        for index in made.indices {
            let product = made[index]
            try await fleet.waitForStatus(product.id, "awaiting_selection")
            let designs = try await fleet.object(.get, "/v1/products/\(product.id)/designs")
            let candidate = try #require((designs["candidates"] as? [[String: Any]])?.first)
            let effectiveDPI = try #require(candidate["effective_dpi"] as? Int, "\(candidate)")
            if product.placement.preset == "full_back" {
                // A design of at most 1024 px across 276 mm (10.9 in) is under 150 DPI: warned, not refused.
                #expect(effectiveDPI < 150)
                let quality = candidate["print_quality"] as? [String: Any]
                #expect(quality?["code"] as? String == "low_resolution" && quality?["effective_dpi"] as? Int == effectiveDPI, "\(candidate)")
            }
            let variants = try #require(candidate["variants"] as? [[String: Any]])
            let dtf = try #require(variants.first { $0["variant"] as? String == "dtf" })
            let (width, height) = (try #require(dtf["width"] as? Int), try #require(dtf["height"] as? Int))
            // The trimmed design fitted into the placement's box at 300 DPI: one side on the box.
            let box = (Int((product.placement.box.width / 25.4 * 300).rounded()), Int((product.placement.box.height / 25.4 * 300).rounded()))
            #expect(width <= box.0 + 1 && height <= box.1 + 1 && (abs(width - box.0) <= 1 || abs(height - box.1) <= 1),
                    "\(product.type) \(product.placement.preset ?? "") dtf \(width)×\(height), box \(box)")
            let content = try await fleet.request(.get, try #require(dtf["content_url"] as? String))
            #expect(try PNGDecoder.header(of: content.body).dpi == 300)
            made[index].dtf = (try #require(dtf["asset_id"] as? String), width, height)
            _ = try await fleet.object(.post, "/v1/products/\(product.id)/selection", json: #"{"asset_id":"\#(made[index].dtf.id)"}"#)
        }
        for product in made {
            try await fleet.waitForStatus(product.id, "ready_for_sale")
            try await expectMockupsAtPlacement(fleet, product, catalog: catalog)
        }

        let shown = try await fleet.admin(["products", "show", made[0].id])
        #expect(shown.stdout.contains("placement: left_chest: front 90×90 mm"), "\(shown.stdout)")

        // A template version bump under a live product: re-rendered, never off sale.
        let shirt = made[0]
        let templateID = "tshirt-navy-flat-lay"
        try bumpVersion(of: templateID, in: templates)
        let dry = try await fleet.admin(["templates", "rerender", "--dry-run", "--templates-dir", templates])
        #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("stale \(shirt.id)") && dry.stdout.contains("\(templateID) v1 → v2"), "\(dry.stdout)")
        let run = try await fleet.admin(["templates", "rerender", "--templates-dir", templates])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("enqueued \(shirt.id)"), "\(run.stdout)")
        try await waitUntil("the flat-lay to be re-rendered\n\(fleet.logs)", timeout: .seconds(120), poll: .milliseconds(100)) {
            let status = (try await fleet.object(.get, "/v1/products/\(shirt.id)"))["status"] as? String
            #expect(status == "ready_for_sale", "the product left ready_for_sale while re-rendering")
            return try fleet.count("""
                SELECT count(*) FROM product_assets WHERE is_active AND asset_role = 'mockup_flat_lay'
                  AND template_info->>'template_id' = \(templateID) AND (template_info->>'template_version')::int = 2
                """) == 1
        }
        try await fleet.expectGallery(product: shirt.id, design: shirt.dtf.id)
        try await expectMockupsAtPlacement(fleet, shirt, catalog: try TemplateCatalog(directory: templates))
        // A second run finds nothing older.
        let again = try await fleet.admin(["templates", "rerender", "--dry-run", "--templates-dir", templates])
        #expect(again.stdout.contains("dry run: 0 mockup(s)"), "\(again.stdout)")
        #expect(try fleet.count("SELECT count(*) FROM dead_letters") == 0)
        #expect(fleet.allRunning, "\(fleet.logs)")
    }

    private func bumpVersion(of id: String, in directory: String) throws {
        let path = directory + "/manifest.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let anchor = "\"id\": \"\(id)\",\n            \"version\": 1"
        guard let range = text.range(of: anchor) else { throw TestEnvironmentError("no \(anchor) in the manifest") }
        text.replaceSubrange(range, with: "\"id\": \"\(id)\",\n            \"version\": 2")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The gallery's mockups against the placement mapped through each template: every
    /// pixel the composite changed is ink (the template is streamed unchanged elsewhere).
    private func expectMockupsAtPlacement(_ fleet: Fleet, _ product: Made, catalog: TemplateCatalog) async throws {
        let gallery = try await fleet.object(.get, "/v1/products/\(product.id)/gallery")
        let slots = try #require(gallery["slots"] as? [[String: Any]])
        for kind in MockupKind.allCases {
            let slot = try #require(slots.first { $0["slot"] as? String == kind.rawValue })
            let png = try await fleet.request(.get, try #require(slot["content_url"] as? String)).body
            let rendered = try PNGDecoder.decode(png, as: .rgb8)
            let template = try catalog.lookup(productType: product.type, color: product.color, kind: kind, side: product.placement.side)
            let base = try MockupRenderer().loadTemplate(template.imagePath, id: template.entry.id)
            var ink: [(x: Int, y: Int)] = []
            for y in 0..<rendered.height {
                for x in 0..<rendered.width {
                    let index = (y * rendered.width + x) * 3
                    let change = (0..<3).reduce(0) { $0 + abs(Int(rendered.pixels[index + $1]) - Int(base.pixels[index + $1])) }
                    if change > 0 { ink.append((x, y)) }
                }
            }
            #expect(!ink.isEmpty)
            let area = try #require(template.mapped(product.placement.box.fittingTop(width: product.dtf.width, height: product.dtf.height)))
            switch area {
            case .rectangle(let rect):
                let left = ink.map(\.x).min() ?? 0, right = (ink.map(\.x).max() ?? 0) + 1
                let top = ink.map(\.y).min() ?? 0, bottom = (ink.map(\.y).max() ?? 0) + 1
                #expect(abs(left - rect.x) <= 2 && abs(top - rect.y) <= 2 && abs(right - rect.maxX) <= 2 && abs(bottom - rect.maxY) <= 2,
                        "\(product.type) flat-lay ink \(left)…\(right) × \(top)…\(bottom), placement maps to \(rect)")
            case .quad(let corners):
                // The trimmed print touches its box on every side, whatever its shape: each
                // edge of the mapped quad has ink within 3 px of it, and none lies beyond it.
                for edge in 0..<4 {
                    let a = corners[edge], b = corners[(edge + 1) % 4]
                    let along = b - a, length = (along * along).sum().squareRoot()
                    // Inward normal of a clockwise (on screen) quad.
                    let normal = SIMD2(-along.y, along.x) / length
                    let distances = ink.map { point in ((SIMD2(Double(point.x) + 0.5, Double(point.y) + 0.5) - a) * normal).sum() }
                    let nearest = distances.min() ?? .infinity
                    #expect(nearest >= -1 && nearest <= 3,
                            "\(product.type) mr_imagine edge \(edge + 1): nearest ink \(nearest) px from the mapped placement's edge")
                }
            }
        }
    }
}
