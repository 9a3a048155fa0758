import CPNG
import PNGSupport

/// Whole-image decoding with libpng's simplified API. For row-at-a-time decoding see ``PNGRowReader``.
///
/// Synchronous and CPU-bound: call it from a thread meant for blocking work.
public enum PNGDecoder {
    /// Reads the signature and the chunks before the image data. Applies no limits.
    /// - Throws: ``PNGError``.
    public static func header(of data: [UInt8]) throws -> ImageHeader {
        var header = pngsupport_header()
        var status = pngsupport_status()
        let code = data.withUnsafeBufferPointer { bytes in
            pngsupport_read_header(bytes.baseAddress, bytes.count, &header, &status)
        }
        guard code == PNGSUPPORT_OK.rawValue else { throw PNGError(status, .decoding) }
        return ImageHeader(header)
    }

    /// Decodes a whole image after checking its header against `limits`; nothing
    /// image-sized is allocated before that check passes.
    ///
    /// Every PNG colour type and bit depth decodes to 8-bit sRGB (16-bit samples are taken
    /// as sRGB-encoded when the file says nothing else).
    ///
    /// - Parameter format: `nil` picks `.rgba8` when the file has transparency, else `.rgb8`.
    ///   Asking for `.rgb8` from a file with transparency composites it onto white.
    /// - Throws: ``PNGError``.
    public static func decode(
        _ data: [UInt8], as format: PixelFormat? = nil, limits: DecodingLimits = DecodingLimits()
    ) throws -> Image {
        let header = try header(of: data)
        try limits.check(header)
        let format = format ?? (header.hasTransparency ? .rgba8 : .rgb8)
        let pixels = try data.withUnsafeBytes { bytes in
            try decodePixels(bytes, header: header, format: format)
        }
        return Image(width: header.width, height: header.height, format: format, pixels: pixels, dpi: header.dpi)
    }

    /// `header` has passed the limits; the simplified API reparses the same bytes.
    private static func decodePixels(
        _ bytes: UnsafeRawBufferPointer, header: ImageHeader, format: PixelFormat
    ) throws -> [UInt8] {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
            throw PNGError(libpngMessage: PNGError.string(fromCString: image.message), .decoding)
        }
        // From here on the image owns libpng state: finish_read frees it, every other exit must.
        guard Int(image.width) == header.width, Int(image.height) == header.height else {
            png_image_free(&image)
            throw PNGError(.corrupt, detail: "header changed between reads")
        }
        image.flags |= png_uint_32(PNG_IMAGE_FLAG_16BIT_sRGB)
        // PNG_FORMAT_RGB/RGBA are compound macros Swift cannot import.
        let alpha = format == .rgba8 ? PNG_FORMAT_FLAG_ALPHA : 0
        image.format = png_uint_32(PNG_FORMAT_FLAG_COLOR | alpha)
        let bytesPerRow = header.width * format.bytesPerPixel
        let count = bytesPerRow * header.height
        var white = png_color(red: 255, green: 255, blue: 255)
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let succeeded = png_image_finish_read(&image, &white, buffer.baseAddress, png_int_32(bytesPerRow), nil)
            guard succeeded != 0 else {
                throw PNGError(libpngMessage: PNGError.string(fromCString: image.message), .decoding)
            }
            initialized = count
        }
    }
}
