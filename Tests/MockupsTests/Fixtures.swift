import Foundation
import Imaging
import Mockups
import PNG

/// Shared builders for the mockup tests.
enum Fixtures {
    /// The repository's `templates/` (symlinks resolved, so a dev package that links the
    /// test directory still finds it).
    static let templatesDirectory: String = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates").path

    static func shippedCatalog() throws -> TemplateCatalog {
        try TemplateCatalog(directory: templatesDirectory)
    }

    /// The shipped template for type/colour/kind, decoded, with its print area.
    static func template(_ type: String, _ color: String, _ kind: MockupKind) throws -> (ResolvedTemplate, CompositeCanvas) {
        let resolved = try shippedCatalog().lookup(productType: type, color: color, kind: kind)
        let canvas = try MockupRenderer().loadTemplate(resolved.imagePath, id: resolved.entry.id)
        return (resolved, canvas)
    }

    static func png(_ image: RGBAImage, level: Int = 1) throws -> [UInt8] {
        try PNGEncoder.encode(Image(width: image.width, height: image.height, format: .rgba8, pixels: image.pixels),
                              options: EncodingOptions(compressionLevel: level, filters: .sub, strategy: .rle))
    }

    static func solid(_ width: Int, _ height: Int, _ color: RGBA) throws -> [UInt8] {
        try png(RGBAImage(width: width, height: height, fill: color))
    }

    static func luminance(_ canvas: CompositeCanvas, in rect: PixelRect) -> [Double] {
        var values: [Double] = []
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX {
                values.append(canvas.luminance(x: x, y: y))
            }
        }
        return values
    }

    static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let meanA = mean(a), meanB = mean(b)
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for (x, y) in zip(a, b) {
            covariance += (x - meanA) * (y - meanB)
            varianceA += (x - meanA) * (x - meanA)
            varianceB += (y - meanB) * (y - meanB)
        }
        return covariance / (varianceA * varianceB).squareRoot()
    }

    /// A scratch directory removed by the caller.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mockups-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
