/// A print-ready DTF image and the resolution it is meant to be printed at. The PNG
/// encoder records `dpi` in the file (pHYs), so the RIP prints it at its true size.
public struct PrintFile: Sendable, Equatable {
    public var image: RGBAImage
    public var dpi: Int
    /// What the background-removal step found (`nil` when it was switched off).
    public var backgroundRemoval: BackgroundRemoval.Outcome?

    public init(image: RGBAImage, dpi: Int, backgroundRemoval: BackgroundRemoval.Outcome? = nil) {
        self.image = image
        self.dpi = dpi
        self.backgroundRemoval = backgroundRemoval
    }

    /// Printed size in inches.
    public var widthInches: Double { Double(image.width) / Double(dpi) }
    public var heightInches: Double { Double(image.height) / Double(dpi) }
}
