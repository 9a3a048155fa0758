import PNGSupport

/// What a PNG's header says, read without decoding any pixel data.
public struct ImageHeader: Sendable, Hashable {
    /// The colour type stored in the file (decoding converts every type to RGB8 or RGBA8).
    public enum ColorType: Sendable, Hashable {
        case gray, grayAlpha, rgb, rgba, palette
    }

    public var width: Int
    public var height: Int
    /// Bits per sample (per palette index for `.palette`): 1, 2, 4, 8 or 16.
    public var bitDepth: Int
    public var colorType: ColorType
    public var isInterlaced: Bool
    /// An alpha channel or a tRNS chunk: decoding defaults to RGBA8 when set.
    public var hasTransparency: Bool
    /// See ``Image/dpi``.
    public var dpi: Int?

    public var pixelCount: Int { width * height }
}

extension ImageHeader {
    init(_ header: pngsupport_header) {
        width = Int(header.width)
        height = Int(header.height)
        bitDepth = Int(header.bit_depth)
        colorType = switch header.color_type {
        case 0: .gray
        case 2: .rgb
        case 3: .palette
        case 4: .grayAlpha
        default: .rgba  // 6; libpng rejects any other value while reading IHDR
        }
        isInterlaced = header.interlaced != 0
        hasTransparency = header.has_transparency != 0
        let square = header.has_phys != 0 && header.phys_unit_is_meter != 0 && header.phys_x == header.phys_y
        dpi = square ? Resolution.dpi(pixelsPerMeter: header.phys_x) : nil
    }
}
