/// Settings for ``DTFPrinter/prepare(_:options:)``.
public struct DTFOptions: Sendable, Hashable {
    /// Printable width in inches (the design is fitted inside, aspect kept). Default 12.
    public var printWidthInches: Double
    /// Printable height in inches. Default 16.
    public var printHeightInches: Double
    /// Print resolution. Default 300, the usual DTF resolution.
    public var dpi: Int
    /// Film alpha cleanup (see ``AlphaCleanup``); default: below 32 → 0, 224 and up → 255.
    public var alphaCleanup: AlphaCleanup
    /// Remove a uniform border-connected background first. Default on.
    public var removeBackground: Bool
    /// Settings for that removal.
    public var backgroundRemover: BackgroundRemover
    /// Resampling kernel for the scale to print size.
    public var filter: ResamplingFilter

    public init(
        printWidthInches: Double = 12,
        printHeightInches: Double = 16,
        dpi: Int = 300,
        alphaCleanup: AlphaCleanup = AlphaCleanup(),
        removeBackground: Bool = true,
        backgroundRemover: BackgroundRemover = BackgroundRemover(),
        filter: ResamplingFilter = .lanczos3
    ) {
        self.printWidthInches = printWidthInches
        self.printHeightInches = printHeightInches
        self.dpi = dpi
        self.alphaCleanup = alphaCleanup
        self.removeBackground = removeBackground
        self.backgroundRemover = backgroundRemover
        self.filter = filter
    }

    /// The print area in pixels: 3600×4800 for the defaults.
    public var canvasWidth: Int { max(Int((printWidthInches * Double(dpi)).rounded()), 1) }
    public var canvasHeight: Int { max(Int((printHeightInches * Double(dpi)).rounded()), 1) }
}
