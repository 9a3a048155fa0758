/// A print-ready DTF image and the resolution it is meant to be printed at. The PNG
/// encoder records `dpi` in the file (pHYs), so the RIP prints it at its true size.
public struct PrintFile: Sendable, Equatable {
    public var image: RGBAImage
    public var dpi: Int
    /// What the background-removal step found (`nil` when it was switched off).
    public var backgroundRemoval: BackgroundRemoval.Outcome?
    /// The design's own pixels per printed inch: its trimmed width over the printed width.
    /// Above ``dpi`` the file was shrunk; below, enlarged (upscaled), and under 150 it prints soft.
    public var effectiveDPI: Int

    public init(image: RGBAImage, dpi: Int, backgroundRemoval: BackgroundRemoval.Outcome? = nil, effectiveDPI: Int? = nil) {
        self.image = image
        self.dpi = dpi
        self.backgroundRemoval = backgroundRemoval
        self.effectiveDPI = effectiveDPI ?? dpi
    }

    /// Printed size in inches.
    public var widthInches: Double { Double(image.width) / Double(dpi) }
    public var heightInches: Double { Double(image.height) / Double(dpi) }
}
