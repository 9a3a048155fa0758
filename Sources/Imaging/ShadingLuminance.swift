/// The luminance of a template region, collected from rows as they stream past, from
/// which a ``ShadingMap`` is made — so the template never has to be in memory whole to
/// shade a print.
public struct ShadingLuminance: Sendable {
    /// The template pixels collected.
    public let region: PixelRect
    /// Rec. 709 luma, 0…1, `region.width` values per row for the rows added so far.
    public private(set) var values: [Float]
    /// Region rows added so far.
    public private(set) var rowsAdded = 0
    /// `true` once every row of the region has been added.
    public var isComplete: Bool { rowsAdded == max(region.height, 0) }
    /// The first template row not yet needed (`region.maxY` once complete): a reader can
    /// stop there.
    public var nextRow: Int { region.y + rowsAdded }

    /// - Parameter region: in template pixels, already clipped to the template.
    public init(region: PixelRect) {
        precondition(region.x >= 0 && region.y >= 0, "the region must be clipped to the template")
        self.region = region
        values = []
        values.reserveCapacity(max(region.width, 0) * max(region.height, 0))
    }

    /// Takes the region's part of template row `y` (RGB or RGBA, `channels` bytes a pixel,
    /// the whole template width). Rows outside the region are ignored; rows inside it
    /// must arrive in order, each once.
    public mutating func add(row: UnsafeBufferPointer<UInt8>, y: Int, channels: Int) {
        guard !region.isEmpty, y >= region.y, y < region.maxY else { return }
        precondition(y == nextRow, "shading rows must arrive in order, each once")
        precondition(row.count >= region.maxX * channels, "row is narrower than the region")
        var index = region.x * channels
        for _ in 0..<region.width {
            let value = 0.2126 * Float(row[index]) + 0.7152 * Float(row[index + 1]) + 0.0722 * Float(row[index + 2])
            values.append(value / 255)
            index += channels
        }
        rowsAdded += 1
    }

    /// Hands the values over, leaving this empty (so the caller's copy is the only one).
    mutating func takeValues() -> [Float] {
        defer { values = [] }
        return values
    }
}
