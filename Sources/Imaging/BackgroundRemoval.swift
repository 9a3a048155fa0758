/// What ``BackgroundRemover`` did, with the resulting image.
public struct BackgroundRemoval: Sendable, Equatable {
    public enum Outcome: Sendable, Hashable {
        /// A uniform border colour was found and the region connected to the border
        /// was made transparent.
        case removed(background: RGBA, clearedPixels: Int)
        /// The border already is mostly transparent; the image is unchanged.
        case alreadyTransparent
        /// The border has no dominant colour (a photo, a full-bleed pattern); the image is
        /// unchanged, because guessing would cut into the artwork.
        case noUniformBackground
    }

    public var image: RGBAImage
    public var outcome: Outcome

    public init(image: RGBAImage, outcome: Outcome) {
        self.image = image
        self.outcome = outcome
    }

    /// `true` when a background was found and removed.
    public var removedBackground: Bool {
        if case .removed = outcome { return true }
        return false
    }
}
