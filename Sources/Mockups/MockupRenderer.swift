#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Imaging
public import PNG

/// Composites a design onto a template and encodes the mockup as PNG.
///
/// ``render(design:template:)`` streams: the design is decoded row by row and shrunk to
/// its placement as it arrives, the shading source is read once up to the print area's
/// last row for its luminance, then the template streams from its file through the
/// compositor into the PNG encoder one row at a time. Neither the decoded template nor
/// the decoded output exists whole; what is held is the design's compressed bytes, the
/// design at placement size, the shading map of the print area and the encoded result.
///
/// Synchronous and CPU-bound (tens to hundreds of milliseconds): call it from a thread
/// meant for blocking work, not from the cooperative pool.
public struct MockupRenderer: Sendable {
    /// Recorded in `template_info`; bump when the output for the same inputs changes.
    public static let version = "mockups/2.0"

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

    /// Renders `design` (PNG bytes) onto `template`, streaming (see the type's description).
    /// - Throws: ``MockupError``: `.designRejected` / `.designTooLarge` (permanent: the
    ///   design is at fault), `.templateRejected` / `.templateUnavailable` (the catalogue is).
    ///
    /// With a `placement` (and a template whose side declares its printable area) the design
    /// is fitted into the placement's box in millimetres and drawn where that box maps on
    /// the template; without one it is fitted into the template's whole print area, centred.
    /// `designSHA256` (hex) is recorded in `template_info`.
    public func render(
        design: [UInt8], template: ResolvedTemplate, placement: Placement? = nil, designSHA256: String? = nil
    ) throws(MockupError) -> RenderedMockup {
        let id = template.entry.id
        let target = try Self.target(design: design, template: template, placement: placement)
        let base = try TemplateRows(path: template.imagePath, id: id, limits: templateLimits)
        let (width, height) = (base.width, base.height)
        // Its own reader even when the base image is the shading source: it reads only
        // down to the print area's last row, before the base streams out.
        let shadingSource = try TemplateRows(path: template.shadingPath ?? template.imagePath, id: id, limits: templateLimits)
        if shadingSource.width != width || shadingSource.height != height {
            throw MockupError(.templateRejected, "template '\(id)': shading image size differs from the base image")
        }
        let pass = try compositePass(design: design, printArea: target.area, fill: target.fill, width: width, height: height) {
            region throws(MockupError) in try shadingSource.luminance(of: region)
        }
        let png = try base.stream(through: consume pass, encoding: encoding)
        var info = TemplateInfo(template, rendererVersion: Self.version)
        info.printArea = target.area
        info.placement = target.fill ? placement : nil
        info.designSHA256 = designSHA256
        return RenderedMockup(png: png, width: width, height: height, info: info)
    }

    /// Where the design goes on `template`: the placement's box fitted to the design's
    /// aspect (read from its header) and mapped (`fill`: the area has the design's aspect),
    /// or the template's own print area when there is no placement to map.
    static func target(design: [UInt8], template: ResolvedTemplate, placement: Placement?) throws(MockupError) -> (area: PrintArea, fill: Bool) {
        guard let placement, let printable = template.printableArea,
              let mapping = TemplateMapping(printArea: template.entry.printArea, area: printable) else {
            return (template.entry.printArea, false)
        }
        let header: ImageHeader
        do {
            header = try PNGDecoder.header(of: design)
        } catch let error as PNGError {
            throw DesignLoader.designError(error)
        } catch {
            throw MockupError(.designRejected, "design rejected: \(error)")
        }
        let fitted = placement.box.fittingTop(width: header.width, height: header.height)
        return (mapping.map(fitted), true)
    }

    /// The compositing step alone, on a template in memory: decodes `design` within the
    /// limits (row by row, shrinking as it goes) and draws it into `printArea` of `canvas`,
    /// with the same pixels ``render(design:template:)`` streams.
    /// - Throws: ``MockupError``.
    public func composite(design: [UInt8], onto canvas: inout CompositeCanvas, shading: CompositeCanvas?, printArea: PrintArea) throws(MockupError) {
        if let shading, shading.width != canvas.width || shading.height != canvas.height {
            throw MockupError(.templateRejected, "shading image size differs from the base image")
        }
        let pass = try compositePass(design: design, printArea: printArea, fill: false, width: canvas.width, height: canvas.height) {
            region in (shading ?? canvas).shadingLuminance(in: region)
        }
        canvas.apply(pass)
    }

    /// Decodes the design for `printArea` and prepares the pass that draws it; `luminance`
    /// supplies the shading source's luminance of the region the compositor asks for.
    private func compositePass(
        design: [UInt8], printArea: PrintArea, fill: Bool, width: Int, height: Int,
        luminance: (PixelRect) throws(MockupError) -> ShadingLuminance
    ) throws(MockupError) -> any CompositePass {
        if let problem = TemplateCatalog.printAreaProblem(printArea, width: width, height: height) {
            throw MockupError(.templateRejected, "print area unusable: \(problem)")
        }
        switch printArea {
        case .rectangle(let area):
            let design = try DesignLoader.load(design, fittingInto: (area.width, area.height), limits: designLimits)
            let compositor = FlatLayCompositor(options: self.shading)
            let region = compositor.shadingRegion(for: area, canvasWidth: width, canvasHeight: height)
            return compositor.pass(design.image, into: area, canvasWidth: width, canvasHeight: height,
                                   shading: try luminance(region), designSize: (design.originalWidth, design.originalHeight))
        case .quad(let corners):
            let nominal = PerspectiveCompositor.nominalSize(of: corners)
            let design = try DesignLoader.load(design, fittingInto: nominal, limits: designLimits)
            let region = PerspectiveCompositor.shadingRegion(corners: corners, canvasWidth: width, canvasHeight: height)
            let shadingLuminance = try luminance(region)
            do {
                return try PerspectiveCompositor(options: self.shading).pass(
                    design.image, corners: corners, canvasWidth: width, canvasHeight: height,
                    shading: consume shadingLuminance, designSize: (design.originalWidth, design.originalHeight), fill: fill)
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
        } catch {
            throw Self.encodingError(error)
        }
    }

    static func encodingError(_ error: any Error) -> MockupError {
        guard let error = error as? PNGError else { return MockupError(.encodingFailed, "mockup encoding failed: \(error)") }
        return MockupError(.encodingFailed, "mockup \(error)", detail: error.debugDescription, isRetriable: error.isRetriable)
    }

    /// Decodes a whole template image to an RGB canvas (transparency, if any, onto white).
    /// ``render(design:template:)`` streams instead; this is for tools and tests.
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
