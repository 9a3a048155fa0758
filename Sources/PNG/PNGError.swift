/// Every failure of this module. `description` says which failure it was and is safe to
/// show or store (it holds only sizes and our own wording); libpng's text goes to
/// `debugDescription` for logs.
public struct PNGError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Extensible: switch with a `default` branch.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable {
            case notPNG, truncated, badCRC, tooLarge, corrupt, invalidArgument, encodingFailed, outOfMemory, unreadable
        }

        let base: Base

        /// The data does not start with the PNG signature.
        public static let notPNG = Code(base: .notPNG)
        /// The data ends before the image does.
        public static let truncated = Code(base: .truncated)
        /// A critical chunk's CRC does not match its contents.
        public static let badCRC = Code(base: .badCRC)
        /// The header claims more pixels than the ``DecodingLimits`` (or libpng) allow.
        public static let tooLarge = Code(base: .tooLarge)
        /// Any other malformed data (bad IHDR values, bad zlib stream, wrong row data size, …).
        public static let corrupt = Code(base: .corrupt)
        /// The caller passed something unusable (buffer size, option out of range, …).
        public static let invalidArgument = Code(base: .invalidArgument)
        /// libpng refused to encode.
        public static let encodingFailed = Code(base: .encodingFailed)
        /// An allocation failed; the only code worth retrying.
        public static let outOfMemory = Code(base: .outOfMemory)
        /// A file could not be opened or read (missing, no permission, I/O error).
        public static let unreadable = Code(base: .unreadable)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// For ``Code/tooLarge`` when the header was readable: the size it claims.
    public let claimedWidth: Int?
    public let claimedHeight: Int?
    /// The limits that rejected the image, for ``Code/tooLarge``.
    public let limits: DecodingLimits?
    /// libpng's message or ours; for logs, not for end users.
    public let detail: String

    init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
        claimedWidth = nil
        claimedHeight = nil
        limits = nil
    }

    init(tooLarge header: ImageHeader, limits: DecodingLimits) {
        code = .tooLarge
        claimedWidth = header.width
        claimedHeight = header.height
        self.limits = limits
        detail = "\(header.width)x\(header.height) exceeds \(limits.maxWidth)x\(limits.maxHeight), \(limits.maxPixels) pixels"
    }

    /// Only running out of memory can succeed on a retry; everything else is a property
    /// of the input and is permanent.
    public var isRetriable: Bool { code == .outOfMemory }

    public var description: String {
        switch code.base {
        case .notPNG: "PNG rejected: not a PNG file (wrong signature)"
        case .truncated: "PNG rejected: file is truncated (data ends before the image does)"
        case .badCRC: "PNG rejected: chunk CRC mismatch (file is corrupt)"
        case .tooLarge: tooLargeDescription
        case .corrupt: "PNG rejected: corrupt or invalid image data"
        case .invalidArgument: "PNG: invalid argument: \(detail)"
        case .encodingFailed: "PNG encoding failed"
        case .outOfMemory: "PNG: out of memory"
        case .unreadable: "PNG file cannot be opened or read"
        }
    }

    public var debugDescription: String { "\(description) [\(code): \(detail)]" }

    private var tooLargeDescription: String {
        guard let claimedWidth, let claimedHeight, let limits else {
            return "PNG rejected: image dimensions exceed libpng's limits"
        }
        return "PNG rejected: header claims \(claimedWidth)×\(claimedHeight) pixels, "
            + "limit is \(limits.maxWidth)×\(limits.maxHeight) and \(limits.maxPixels) pixels in total"
    }
}
