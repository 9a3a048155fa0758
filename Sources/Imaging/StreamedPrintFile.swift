/// What ``StreamingDTFPrinter/render(_:)`` wrote: the print file's size and resolution,
/// as ``PrintFile`` says them for a file made whole.
public struct StreamedPrintFile: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var dpi: Int
    /// What the background-removal step found (`nil` when it was switched off).
    public var backgroundRemoval: BackgroundRemoval.Outcome?
    /// The design's own pixels per printed inch (see ``PrintFile/effectiveDPI``).
    public var effectiveDPI: Int
    /// How many times the rows were written: 1, or 2 when keeping the edges (or a final
    /// trim) changed rows that had already been written.
    public var renderPasses: Int

    public init(width: Int, height: Int, dpi: Int, backgroundRemoval: BackgroundRemoval.Outcome?, effectiveDPI: Int, renderPasses: Int) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.backgroundRemoval = backgroundRemoval
        self.effectiveDPI = effectiveDPI
        self.renderPasses = renderPasses
    }
}
