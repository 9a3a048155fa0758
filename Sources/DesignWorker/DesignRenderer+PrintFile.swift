import Imaging
import JobRuntime
import PNG
import Storage

extension DesignRenderer {
    /// The `dtf` variant of `design` (background already removed), made a row at a time
    /// (``StreamingDTFPrinter``) straight into the PNG encoder: the print file — up to
    /// 3600×4800 pixels — never exists whole, only its encoded bytes. Pixel for pixel the
    /// file ``DTFPrinter/prepare(_:options:)`` makes.
    /// - Throws: ``JobFailure``: permanent when nothing is visible to print; transient
    ///   when encoding fails (our own pixels: a bug or memory pressure).
    static func printFile(
        of design: RGBAImage, options: DTFOptions, encoding: EncodingOptions
    ) throws(JobFailure) -> (variant: EncodedVariant, effectiveDPI: Int) {
        var writer: PNGRowWriter?
        let file: StreamedPrintFile
        do {
            let printer = try StreamingDTFPrinter(source: design, options: options)
            file = try printer.render { width, height in
                let started = try PNGRowWriter(width: width, height: height, format: .rgba8, dpi: options.dpi, options: encoding)
                writer = started
                return { row in try started.write(row: UnsafeRawBufferPointer(row)) }
            }
        } catch let error as ImagingError {
            throw JobFailure(.permanent, "the design cannot be printed: \(error)", stage: "prepare_dtf")
        } catch {
            throw JobFailure(.transient, "encoding the \(DesignVariant.dtf.rawValue) variant failed: \(error)", stage: "encode_png")
        }
        let png: [UInt8]
        do {
            png = try writer?.finish() ?? []
        } catch {
            throw JobFailure(.transient, "encoding the \(DesignVariant.dtf.rawValue) variant failed: \(error)", stage: "encode_png")
        }
        let variant = EncodedVariant(variant: .dtf, png: png, width: file.width, height: file.height, sha256: ContentDigest.sha256(png))
        return (variant, file.effectiveDPI)
    }
}
