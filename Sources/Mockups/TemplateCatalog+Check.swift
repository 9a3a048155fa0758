#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Imaging
public import PNG

extension TemplateCatalog {
    /// Everything wrong with the catalogue (empty when it is usable): manifest structure,
    /// missing declared defaults, duplicate ids, files that are missing, outside the
    /// directory, not PNG, corrupt or over `limits`, print areas outside their image,
    /// quads that are not convex or not in TL, TR, BR, BL order, shading images whose
    /// size differs. What `itp-admin templates check` prints.
    ///
    /// - Parameter decodingImages: also decode every image fully (finds corrupt data
    ///   past the header; about 20 ms per 1200² image).
    public func check(decodingImages: Bool = true, limits: DecodingLimits = MockupRenderer.templateLimits) -> [TemplateProblem] {
        var problems: [TemplateProblem] = []
        func report(_ location: String, _ message: String) {
            problems.append(TemplateProblem(location: location, message: message))
        }
        if manifest.manifestVersion != TemplateManifest.supportedVersion {
            report("manifest_version", "version \(manifest.manifestVersion) is not supported (expected \(TemplateManifest.supportedVersion))")
        }
        if manifest.productTypes.isEmpty {
            report("product_types", "no product types")
        }
        if let fallbackType = manifest.defaultProductType, manifest.productTypes[fallbackType] == nil {
            report("default_product_type", "'\(fallbackType)' is not a declared product type")
        }
        var seenIDs: [String: String] = [:]
        for (typeName, type) in manifest.productTypes.sorted(by: { $0.key < $1.key }) {
            let typeLocation = "product_types.\(typeName)"
            if type.colors[type.defaultColor] == nil {
                report("\(typeLocation).default_color", "declared default colour '\(type.defaultColor)' has no templates")
            }
            problems += Self.placementProblems(type, at: typeLocation)
            let sides: [PrintSide] = type.printableArea(.back) != nil ? [.front, .back] : [.front]
            for (colorName, colorway) in type.colors.sorted(by: { $0.key < $1.key }) {
                for side in sides {
                for kind in MockupKind.allCases {
                    let prefix = side == .front ? "" : "back."
                    let location = "\(typeLocation).colors.\(colorName).\(prefix)\(kind.rawValue)"
                    guard let entry = colorway[kind, side] else {
                        report(location, side == .front
                            ? "missing (every colour needs a flat_lay and an mr_imagine template)"
                            : "missing (the type declares a back print area: every colour needs back flat_lay and mr_imagine templates)")
                        continue
                    }
                    if let area = type.printableArea(side) {
                        problems += Self.mappingProblems(entry.printArea, area: area, at: "\(location).print_area")
                    }
                    if let other = seenIDs[entry.id] {
                        report(location, "template id '\(entry.id)' is also used at \(other)")
                    } else {
                        seenIDs[entry.id] = location
                    }
                    if entry.id.isEmpty { report(location, "template id is empty") }
                    if entry.version < 1 { report(location, "version must be 1 or more") }
                    problems += checkEntry(entry, at: location, decoding: decodingImages, limits: limits)
                }
                }
            }
        }
        return problems
    }

    private func checkEntry(_ entry: TemplateEntry, at location: String, decoding: Bool, limits: DecodingLimits) -> [TemplateProblem] {
        var problems: [TemplateProblem] = []
        guard let size = checkImage(entry.image, at: "\(location).image", decoding: decoding, limits: limits,
                                    problems: &problems) else { return problems }
        if case .image(let shadingPath) = entry.shading,
           let shadingSize = checkImage(shadingPath, at: "\(location).shading", decoding: decoding, limits: limits,
                                        problems: &problems),
           shadingSize != size {
            problems.append(TemplateProblem(location: "\(location).shading",
                                            message: "shading image is \(shadingSize.0)×\(shadingSize.1), base image is \(size.0)×\(size.1)"))
        }
        if let message = Self.printAreaProblem(entry.printArea, width: size.0, height: size.1) {
            problems.append(TemplateProblem(location: "\(location).print_area", message: message))
        }
        return problems
    }

    /// The image's size, or `nil` after recording why it is unusable.
    private func checkImage(
        _ relative: String, at location: String, decoding: Bool, limits: DecodingLimits, problems: inout [TemplateProblem]
    ) -> (Int, Int)? {
        func fail(_ message: String) -> (Int, Int)? {
            problems.append(TemplateProblem(location: location, message: message))
            return nil
        }
        // Images must live inside the catalogue, so a manifest cannot point a worker at
        // arbitrary files.
        if relative.hasPrefix("/") || relative.split(separator: "/").contains("..") {
            return fail("\(relative): path must be relative and stay inside the catalogue directory")
        }
        let path = path(of: relative)
        guard Self.fileExists(path) else { return fail("\(relative): file is missing") }
        guard let data = FileManager.default.contents(atPath: path) else { return fail("\(relative): file is unreadable") }
        let bytes = [UInt8](data)
        do {
            let header = try PNGDecoder.header(of: bytes)
            if decoding {
                _ = try PNGDecoder.decode(bytes, as: .rgb8, limits: limits)
            } else if let violation = ImageLimits(maxWidth: limits.maxWidth, maxHeight: limits.maxHeight,
                                                  maxPixels: limits.maxPixels).violation(width: header.width, height: header.height) {
                return fail("\(relative): \(violation)")
            }
            return (header.width, header.height)
        } catch {
            return fail("\(relative): \(error)")
        }
    }

    /// Why `area` is unusable on a `width × height` image, or `nil`.
    static func printAreaProblem(_ area: PrintArea, width: Int, height: Int) -> String? {
        switch area {
        case .rectangle(let rect):
            if rect.isEmpty { return "rectangle \(rect.width)×\(rect.height) is empty" }
            if rect.x < 0 || rect.y < 0 || rect.maxX > width || rect.maxY > height {
                return "rectangle (\(rect.x), \(rect.y)) \(rect.width)×\(rect.height) lies outside the \(width)×\(height) image"
            }
            return nil
        case .quad(let corners):
            guard corners.count == 4 else { return "a quad needs 4 corners, found \(corners.count)" }
            for (index, corner) in corners.enumerated()
            where !(corner.x.isFinite && corner.y.isFinite) || corner.x < 0 || corner.y < 0
                || corner.x > Double(width) || corner.y > Double(height) {
                return "corner \(index + 1) (\(corner.x), \(corner.y)) lies outside the \(width)×\(height) image"
            }
            // TL, TR, BR, BL is clockwise on screen (y down): every turn has a positive cross
            // product. Mixed signs mean a concave or self-intersecting quad; all negative
            // means the corners are listed anticlockwise (the design would be mirrored).
            let turns = (0..<4).map { index -> Double in
                let a = corners[index], b = corners[(index + 1) % 4], c = corners[(index + 2) % 4]
                let ab = b - a, bc = c - b
                return ab.x * bc.y - ab.y * bc.x
            }
            if turns.allSatisfy({ $0 < 0 }) { return "corners are anticlockwise; list them top-left, top-right, bottom-right, bottom-left" }
            if !turns.allSatisfy({ $0 > 1e-6 }) { return "corners do not form a convex quadrilateral (concave, self-intersecting or degenerate)" }
            if PerspectiveCompositor.nominalSize(of: corners).width < 2 || PerspectiveCompositor.nominalSize(of: corners).height < 2 {
                return "quad is too small"
            }
            return nil
        }
    }
}
