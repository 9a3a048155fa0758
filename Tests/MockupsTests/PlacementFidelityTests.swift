import Foundation
import Imaging
import Mockups
import PNG
import Testing

/// Preview equals print: for every preset of every shipped type, the design lands where the
/// placement maps on both templates — the flat-lay's ink box within 2 px of the mapped
/// rectangle, the mr_imagine ink's four corners within 3 px of the mapped quad.
@Suite("Placement fidelity")
struct PlacementFidelityTests {
    /// A solid green design (no garment is green, so its ink is easy to tell from the
    /// template) of a landscape aspect, so the fit inside square and tall boxes is tested too.
    static let design = (width: 300, height: 200)

    static func cases() throws -> [(type: String, preset: String)] {
        let catalog = try Fixtures.shippedCatalog()
        return catalog.manifest.productTypes.sorted { $0.key < $1.key }.flatMap { name, type in
            (type.presets ?? [:]).keys.sorted().map { (type: name, preset: $0) }
        }
    }

    @Test("every shipped type declares the four presets, and each maps inside both templates of its side")
    func presetsAreDeclared() throws {
        let catalog = try Fixtures.shippedCatalog()
        for (name, type) in catalog.manifest.productTypes {
            for preset in TemplateCatalog.requiredPresets {
                let placement = try #require(type.preset(preset), "\(name) lacks \(preset)")
                #expect(placement.preset == preset)
            }
            #expect(type.defaultPreset == "full_front")
            for color in type.colors.keys {
                for kind in MockupKind.allCases {
                    let back = try catalog.lookup(productType: name, color: color, kind: kind, side: .back)
                    #expect(!back.isFallback && back.side == .back, "\(name)/\(color) \(kind) back")
                }
            }
        }
    }

    @Test("the flat-lay ink box is the mapped placement within 2 px", arguments: try cases())
    func flatLay(_ item: (type: String, preset: String)) throws {
        let (template, placement, expectedBox) = try Self.expected(item, kind: .flatLay)
        guard case .rectangle(let rect) = expectedBox else { Issue.record("a flat-lay maps to a rectangle"); return }
        let ink = try Self.ink(template: template, placement: placement)
        let found = Self.boundingBox(ink.mask, width: ink.width)
        let box = try #require(found, "no ink for \(item)")
        let tolerance = 2
        #expect(abs(box.x - rect.x) <= tolerance && abs(box.y - rect.y) <= tolerance
                && abs(box.maxX - rect.maxX) <= tolerance && abs(box.maxY - rect.maxY) <= tolerance,
                "\(item): ink \(box), placement maps to \(rect)")
    }

    @Test("the mr_imagine ink's corners are the mapped quad's within 3 px", arguments: try cases())
    func mrImagine(_ item: (type: String, preset: String)) throws {
        let (template, placement, expectedArea) = try Self.expected(item, kind: .mrImagine)
        guard case .quad(let corners) = expectedArea else { Issue.record("mr_imagine maps to a quad"); return }
        let ink = try Self.ink(template: template, placement: placement)
        let found = Self.extremeCorners(ink.mask, width: ink.width)
        let measured = try #require(found, "no ink for \(item)")
        for (index, (found, wanted)) in zip(measured, corners).enumerated() {
            // Pixel centres: the ink pixel at a corner has its centre half a pixel inside.
            let distance = ((found - wanted) * (found - wanted)).sum().squareRoot()
            #expect(distance <= 3, "\(item) corner \(index + 1): ink at \(found), placement maps to \(wanted)")
        }
    }

    @Test("template_info records the placement, side, mapped area and the design's hash")
    func templateInfo() throws {
        let catalog = try Fixtures.shippedCatalog()
        let type = try #require(catalog.manifest.productTypes["tshirt"])
        let placement = try #require(type.preset("full_back"))
        let template = try catalog.lookup(productType: "tshirt", color: "navy", kind: .mrImagine, side: .back)
        let design = try Fixtures.solid(Self.design.width, Self.design.height, RGBA(0, 255, 0))
        let mockup = try MockupRenderer().render(design: design, template: template, placement: placement, designSHA256: "ab12")
        #expect(mockup.info.placement == placement)
        #expect(mockup.info.side == .back)
        #expect(mockup.info.designSHA256 == "ab12")
        #expect(mockup.info.templateID == "tshirt-navy-back-mr-imagine")
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(mockup.info)) as? [String: Any])
        #expect((json["placement"] as? [String: Any])?["preset"] as? String == "full_back")
        #expect(json["design_sha256"] as? String == "ab12")
        #expect(json["renderer_version"] as? String == MockupRenderer.version)
        #expect(try JSONDecoder().decode(TemplateInfo.self, from: JSONEncoder().encode(mockup.info)) == mockup.info)
    }

    // MARK: - Measuring

    /// The template, the preset, and where the design's fitted box maps on the template.
    static func expected(_ item: (type: String, preset: String), kind: MockupKind) throws -> (ResolvedTemplate, Placement, PrintArea) {
        let catalog = try Fixtures.shippedCatalog()
        let type = try #require(catalog.manifest.productTypes[item.type])
        let placement = try #require(type.preset(item.preset))
        let template = try catalog.lookup(productType: item.type, color: type.defaultColor, kind: kind, side: placement.side)
        let area = try #require(type.printableArea(placement.side))
        let mapping = try #require(TemplateMapping(printArea: template.entry.printArea, area: area))
        let fitted = placement.box.fittingTop(width: design.width, height: design.height)
        return (template, placement, mapping.map(fitted))
    }

    /// Renders the green design and marks every pixel the composite changed towards green.
    static func ink(template: ResolvedTemplate, placement: Placement) throws -> (mask: [Bool], width: Int) {
        let design = try Fixtures.solid(Self.design.width, Self.design.height, RGBA(0, 255, 0))
        let renderer = MockupRenderer()
        let mockup = try renderer.render(design: design, template: template, placement: placement)
        let rendered = try PNGDecoder.decode(mockup.png, as: .rgb8)
        let base = try renderer.loadTemplate(template.imagePath, id: template.entry.id)
        var mask = [Bool](repeating: false, count: rendered.width * rendered.height)
        rendered.pixels.withUnsafeBufferPointer { out in
            base.pixels.withUnsafeBufferPointer { before in
                for index in 0..<mask.count {
                    func greenish(_ pixels: UnsafeBufferPointer<UInt8>) -> Bool {
                        let r = Int(pixels[index * 3]), g = Int(pixels[index * 3 + 1]), b = Int(pixels[index * 3 + 2])
                        return g > r + 40 && g > b + 40
                    }
                    // Shaded green where no garment is green (a faint anti-aliased edge is not ink).
                    mask[index] = greenish(out) && !greenish(before)
                }
            }
        }
        return (mask, rendered.width)
    }

    static func boundingBox(_ mask: [Bool], width: Int) -> PixelRect? {
        var left = Int.max, top = Int.max, right = -1, bottom = -1
        for (index, set) in mask.enumerated() where set {
            let x = index % width, y = index / width
            left = min(left, x); right = max(right, x); top = min(top, y); bottom = max(bottom, y)
        }
        guard right >= 0 else { return nil }
        return PixelRect(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
    }

    /// The ink's extreme points towards each corner (top-left: least x + y, …), as the
    /// outer corner of that pixel, in the order top-left, top-right, bottom-right, bottom-left.
    static func extremeCorners(_ mask: [Bool], width: Int) -> [SIMD2<Double>]? {
        var best: [(score: Int, point: SIMD2<Double>)] = Array(repeating: (Int.min, .zero), count: 4)
        for (index, set) in mask.enumerated() where set {
            let x = index % width, y = index / width
            let scores = [-(x + y), x - y, x + y, y - x]
            let outer = [SIMD2(Double(x), Double(y)), SIMD2(Double(x + 1), Double(y)),
                         SIMD2(Double(x + 1), Double(y + 1)), SIMD2(Double(x), Double(y + 1))]
            for corner in 0..<4 where scores[corner] > best[corner].score {
                best[corner] = (scores[corner], outer[corner])
            }
        }
        guard best[0].score != Int.min else { return nil }
        return best.map(\.point)
    }
}
