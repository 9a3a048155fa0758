import PNGSupport

extension PNGError {
    /// What the failing call was doing; decides how an unrecognised libpng message is classified.
    enum Operation {
        case decoding, encoding
    }

    /// Maps a PNGSupport status (never `PNGSUPPORT_OK`).
    init(_ status: pngsupport_status, _ operation: Operation) {
        let message = Self.string(fromCString: status.message)
        switch UInt32(bitPattern: status.code) {
        case PNGSUPPORT_NOT_PNG.rawValue: self.init(.notPNG, detail: message)
        case PNGSUPPORT_TRUNCATED.rawValue: self.init(.truncated, detail: message)
        case PNGSUPPORT_INVALID_ARGUMENT.rawValue: self.init(.invalidArgument, detail: message)
        case PNGSUPPORT_OUT_OF_MEMORY.rawValue: self.init(.outOfMemory, detail: message)
        case PNGSUPPORT_UNREADABLE.rawValue: self.init(.unreadable, detail: message)
        default: self.init(libpngMessage: message, operation)
        }
    }

    /// Classifies libpng's error text (libpng has no error codes; these phrases are stable across 1.6.x).
    init(libpngMessage message: String, _ operation: Operation) {
        let text = message.lowercased()
        let code: Code
        if text.contains("crc error") {
            code = .badCRC
        } else if text.contains("not enough") || text.contains("read beyond end")
            || text.contains("read error") || text.contains("unexpected end") {
            code = .truncated
        } else if text.contains("not a png") || text.contains("corrupted by ascii") {
            code = .notPNG
        } else if text.contains("user limit") || text.contains("too large") {
            code = .tooLarge
        } else if text.contains("out of memory") || text.contains("insufficient memory") {
            code = .outOfMemory
        } else {
            code = operation == .encoding ? .encodingFailed : .corrupt
        }
        self.init(code, detail: message)
    }

    /// Reads a fixed-size C `char[]` imported as a tuple, stopping at the first NUL.
    static func string<Tuple>(fromCString tuple: Tuple) -> String {
        withUnsafeBytes(of: tuple) { bytes in
            let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }
}
