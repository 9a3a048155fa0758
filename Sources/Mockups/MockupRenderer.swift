import Foundation
public import Imaging
public import PNG

/// Composites a design onto a template and encodes the mockup as PNG.
///
/// Synchronous and CPU-bound (tens to hundreds of milliseconds): call it from a thread
/// meant for blocking work, not from the cooperative pool.
public struct MockupRenderer: Sendable {
    /// Recorded in `template_info`; bump when the output for the same inputs changes.
    public static let version = "mockups/1.0"

    /// Template images come from the repository or an operator, but are still bounded.
    public static let templateLimits = DecodingLimits(maxWidth: 8_000, maxHeight: 8_000, maxPixels: 40_000_000)

    /// Bounds on the design PNG's header, checked before any pixel is decoded.
    public var designLimits: DecodingLimits
    public var templateLimits: DecodingLimits
    public var shading: ShadingOptions
    /// The encoder's filter and zlib settings dominate render time. One filter (`.up`)
    /// with zlib level 2 gives mockups about as small as libpng's adaptive defaults at a
    /// fraction of the time (mockups are previews; the print file is the design itself).
    public var encoding: EncodingOptions

    public init(
        designLimits: DecodingLimits = DecodingLimits(maxWidth: 10_000, maxHeight: 10_000, maxPixels: 50_000_000),
        templateLimits: DecodingLimits = MockupRenderer.templateLimits,
        shading: ShadingOptions = ShadingOptions(),
        encoding: EncodingOptions = EncodingOptions(compressionLevel: 2, filters: .up, strategy: .filtered)
    ) {
        self.designLimits = designLimits
        self.templateLimits = templateLimits
        self.shading = shading
        self.encoding = encoding
    }

    /// Renders `design` (PNG bytes) onto `template`.
    /// - Throws: ``MockupError``: `.designRejected` / `.designTooLarge` (permanent: the
    ///   design is at fault), `.templateRejected` / `.templateUnavailable` (the catalogue is).
    public func render(design: [UInt8], template: ResolvedTemplate) throws(MockupError) -> RenderedMockup {
        var canvas = try loadTemplate(template.imagePath, id: template.entry.id)
        let shadingCanvas = try template.shadingPath.map { path throws(MockupError) in
            try loadTemplate(path, id: template.entry.id)
        }
        if let shadingCanvas, shadingCanvas.width != canvas.width || shadingCanvas.height != canvas.height {
            throw MockupError(.templateRejected, "template '\(template.entry.id)': shading image size differs from the base image")
        }
        try composite(design: design, onto: &canvas, shading: shadingCanvas, printArea: template.entry.printArea)
        let png = try encode(canvas)
        return RenderedMockup(png: png, width: canvas.width, height: canvas.height,
                              info: TemplateInfo(template, rendererVersion: Self.version))
    }

    /// The compositing step alone: decodes `design` within the limits (row by row,
    /// shrinking as it goes) and draws it into `printArea` of `canvas`.
    /// - Throws: ``MockupError``.
    public func composite(design: [UInt8], onto canvas: inout CompositeCanvas, shading: CompositeCanvas?, printArea: PrintArea) throws(MockupError) {
        if let problem = TemplateCatalog.printAreaProblem(printArea, width: canvas.width, height: canvas.height) {
            throw MockupError(.templateRejected, "print area unusable: \(problem)")
        }
        switch printArea {
        case .rectangle(let area):
            let design = try DesignLoader.load(design, fittingInto: (area.width, area.height), limits: designLimits)
            FlatLayCompositor(options: self.shading).composite(
                design.image, into: area, on: &canvas, shading: shading,
                designSize: (design.originalWidth, design.originalHeight))
        case .quad(let corners):
            let nominal = PerspectiveCompositor.nominalSize(of: corners)
            let design = try DesignLoader.load(design, fittingInto: nominal, limits: designLimits)
            do {
                try PerspectiveCompositor(options: self.shading).composite(
                    design.image, corners: corners, on: &canvas, shading: shading,
                    designSize: (design.originalWidth, design.originalHeight))
            } catch {
                throw MockupError(.templateRejected, "print area unusable: \(error)")
            }
        }
    }

    /// Encodes an RGB or RGBA canvas with ``encoding``.
    public func encode(_ canvas: CompositeCanvas) throws(MockupError) -> [UInt8] {
        do {
            return try canvas.pixels.withUnsafeBytes { pixels in
                try PNGEncoder.encode(pixels: pixels, width: canvas.width, height: canvas.height,
                                      bytesPerRow: canvas.bytesPerRow, format: canvas.channels == 4 ? .rgba8 : .rgb8,
                                      options: encoding)
            }
        } catch let error as PNGError {
            throw MockupError(.encodingFailed, "mockup \(error)", detail: error.debugDescription, isRetriable: error.isRetriable)
        } catch {
            throw MockupError(.encodingFailed, "mockup encoding failed: \(error)")
        }
    }

    /// Decodes a template image to an RGB canvas (transparency, if any, onto white).
    public func loadTemplate(_ path: String, id: String) throws(MockupError) -> CompositeCanvas {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MockupError(.templateUnavailable, "template '\(id)': image is missing or unreadable", detail: path)
        }
        do {
            return Self.canvas(from: try PNGDecoder.decode([UInt8](data), as: .rgb8, limits: templateLimits))
        } catch {
            throw MockupError(.templateRejected, "template '\(id)': \(error)", detail: path)
        }
    }

    /// Takes the decoded buffer over without a copy: `image` is the only other owner and
    /// is gone when this returns, so the canvas's first write does not copy 12 MB.
    private static func canvas(from image: consuming Image) -> CompositeCanvas {
        CompositeCanvas(width: image.width, height: image.height, channels: image.format.bytesPerPixel, pixels: image.pixels)
    }
}
