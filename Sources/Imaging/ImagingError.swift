/// The one error type of the `Imaging` module.
///
/// `code` is what callers branch on; `description` says what was wrong in words an
/// operator can act on (sizes and limits only — never pixel data).
public struct ImagingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. Extensible: new codes may be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A width, height or pixel count is above an ``ImageLimits`` bound.
        public static let tooLarge = Code("tooLarge")
        /// A width or height is zero or negative.
        public static let invalidSize = Code("invalidSize")
        /// The image has no visible (non-transparent) pixel, so there is nothing to print.
        public static let nothingVisible = Code("nothingVisible")

        public var description: String { name }
    }

    public var code: Code
    /// For `.tooLarge`: which bound was exceeded, by how much.
    public var violation: ImageLimits.Violation?
    private var message: String

    public init(_ code: Code, _ message: String, violation: ImageLimits.Violation? = nil) {
        self.code = code
        self.message = message
        self.violation = violation
    }

    public var description: String { "\(code): \(message)" }
}
