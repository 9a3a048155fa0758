import Imaging
public import JobRuntime
import PNG
public import ProductFlow
import Storage

/// Turns one untrusted provider PNG into the three stored variants. Synchronous and
/// CPU-bound: call it through ``ImageWorkQueue``.
///
/// Order matters for safety and memory: the header is bounded before anything
/// image-sized is allocated; the background is removed once and that result feeds both
/// the `background_removed` variant and the print file; each encoded blob is kept, each
/// raster dropped as soon as the next step no longer needs it; the print file is made a
/// row at a time into its encoder and never exists whole.
public enum DesignRenderer {
    /// - Throws: ``JobFailure`` — permanent (with what was wrong) for an image that is not
    ///   a PNG, is corrupt, exceeds the limits or has nothing visible to print.
    ///
    /// With a `placement`, the print file is fitted to the placement's box (its physical
    /// size at the configured DPI) instead of the configured default print size, and every
    /// variant records the candidate's effective DPI there.
    public static func render(
        _ png: [UInt8], configuration: DesignWorkerConfiguration, placement: PrintPlacement? = nil
    ) throws(JobFailure) -> [EncodedVariant] {
        let decoded = try decode(png, limits: configuration.imageLimits)
        let original = try encode(decoded, variant: .original, options: configuration.encoding)
        let rgba = RGBAImage(decoded)

        let removed = configuration.dtf.backgroundRemover.remove(rgba).image
        let backgroundRemoved = try encode(Image(removed, dpi: nil), variant: .backgroundRemoved, options: configuration.encoding)

        // The background is already gone: the printer must not look for it a second time.
        var printOptions = configuration.dtf
        printOptions.removeBackground = false
        if let placement {
            printOptions.printWidthInches = placement.widthMM / millimetresPerInch
            printOptions.printHeightInches = placement.heightMM / millimetresPerInch
        }
        let dtf = try printFile(of: removed, options: printOptions, encoding: configuration.encoding)
        return [original, dtf.variant, backgroundRemoved].map { variant in
            var measured = variant
            measured.effectiveDPI = dtf.effectiveDPI
            return measured
        }
    }

    /// Below this many source pixels per printed inch a candidate carries the
    /// `low_resolution` print-quality warning (DESIGN.md §11).
    public static let minimumEffectiveDPI = 150
    static let millimetresPerInch = 25.4

    /// Bounds the header, then decodes (RGB stays RGB, so the original is not inflated).
    static func decode(_ png: [UInt8], limits: ImageLimits) throws(JobFailure) -> Image {
        do {
            let header = try PNGDecoder.header(of: png)
            do {
                try limits.check(width: header.width, height: header.height)
            } catch {
                throw JobFailure(.permanent, "the provider's image is too large: \(error)", stage: "check_image")
            }
            let decodingLimits = DecodingLimits(maxWidth: limits.maxWidth, maxHeight: limits.maxHeight, maxPixels: limits.maxPixels)
            return try PNGDecoder.decode(png, limits: decodingLimits)
        } catch let failure as JobFailure {
            throw failure
        } catch let error as PNGError {
            throw JobFailure(error.isRetriable ? .transient : .permanent, "the provider's image was rejected: \(error)", stage: "decode_png")
        } catch {
            throw JobFailure(.permanent, "the provider's image was rejected: \(error)", stage: "decode_png")
        }
    }

    static func encode(_ image: Image, variant: DesignVariant, options: EncodingOptions) throws(JobFailure) -> EncodedVariant {
        do {
            let png = try PNGEncoder.encode(image, options: options)
            return EncodedVariant(variant: variant, png: png, width: image.width, height: image.height, sha256: ContentDigest.sha256(png))
        } catch {
            // Our own pixels failed to encode: a bug or memory pressure, not the input's fault.
            throw JobFailure(.transient, "encoding the \(variant.rawValue) variant failed: \(error)", stage: "encode_png")
        }
    }
}
