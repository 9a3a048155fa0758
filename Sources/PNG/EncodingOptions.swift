/// zlib and filter settings for ``PNGEncoder``. The defaults are libpng's own choices.
public struct EncodingOptions: Sendable, Hashable {
    /// Row filters libpng may choose from, per row. One filter is fastest; several make
    /// libpng try each on every row and keep the one that looks most compressible.
    public struct Filters: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let none = Filters(rawValue: 1 << 0)
        public static let sub = Filters(rawValue: 1 << 1)
        public static let up = Filters(rawValue: 1 << 2)
        public static let average = Filters(rawValue: 1 << 3)
        public static let paeth = Filters(rawValue: 1 << 4)
        public static let all: Filters = [.none, .sub, .up, .average, .paeth]
    }

    /// zlib's deflate strategy.
    public enum Strategy: Sendable, Hashable {
        /// `Z_DEFAULT_STRATEGY`.
        case `default`
        /// `Z_FILTERED`: tuned for filtered image rows; what libpng uses when filtering.
        case filtered
        /// `Z_HUFFMAN_ONLY`: no string matching; fast, larger.
        case huffmanOnly
        /// `Z_RLE`: matches of distance one only; fast and good on flat artwork.
        case rle
        /// `Z_FIXED`: no dynamic Huffman tables.
        case fixed
    }

    /// zlib level, 0 (store) to 9 (smallest, slowest).
    public var compressionLevel: Int
    /// Must not be empty.
    public var filters: Filters
    public var strategy: Strategy

    public init(compressionLevel: Int = 6, filters: Filters = .all, strategy: Strategy = .filtered) {
        self.compressionLevel = compressionLevel
        self.filters = filters
        self.strategy = strategy
    }
}
