/// The widths a thumbnail may be asked for (`?width=`): a closed set, so that a public URL
/// cannot make the server render and store an image per integer.
public enum ThumbnailWidth: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case w256 = 256
    case w512 = 512
    case w1024 = 1024

    /// The parameter's text as a client sends it (`"512"`); nil for anything else.
    public init?(parameter: String) {
        guard let value = Int(parameter), let width = ThumbnailWidth(rawValue: value) else { return nil }
        self = width
    }

    public var pixels: Int { rawValue }
    public var description: String { String(rawValue) }

    public static func < (lhs: ThumbnailWidth, rhs: ThumbnailWidth) -> Bool { lhs.rawValue < rhs.rawValue }

    /// For error messages and documentation: `256, 512 or 1024`.
    public static let allowedText = "256, 512 or 1024"
}
