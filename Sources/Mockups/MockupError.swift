/// Every failure of this module. `description` says what was wrong in words an operator
/// can act on (sizes, limits, template ids, manifest paths — never pixel data) and is
/// safe to store as a job's `last_error`; `debugDescription` adds library detail for logs.
public struct MockupError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Extensible: switch with a `default` branch.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The design PNG is corrupt, truncated or not a PNG.
        public static let designRejected = Code("designRejected")
        /// The design's header claims more pixels than the limits allow.
        public static let designTooLarge = Code("designTooLarge")
        /// Neither the requested template nor its declared default is usable.
        public static let templateUnavailable = Code("templateUnavailable")
        /// A template file exists but cannot be used (corrupt, wrong size, bad print area).
        public static let templateRejected = Code("templateRejected")
        /// manifest.json is missing or malformed.
        public static let manifestInvalid = Code("manifestInvalid")
        /// Encoding the result failed.
        public static let encodingFailed = Code("encodingFailed")

        public var description: String { name }
    }

    public let code: Code
    public let message: String
    /// Library detail for logs (libpng's text, file paths).
    public let detail: String
    /// Only running out of memory is worth a retry; everything else is a property of the
    /// design or the catalogue, so the job runtime should treat it as permanent.
    public let isRetriable: Bool

    public init(_ code: Code, _ message: String, detail: String = "", isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.detail = detail
        self.isRetriable = isRetriable
    }

    public var description: String { "\(code): \(message)" }
    public var debugDescription: String { detail.isEmpty ? description : "\(description) [\(detail)]" }
}
