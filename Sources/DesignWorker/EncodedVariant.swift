/// One variant encoded as PNG, with what its asset row records.
public struct EncodedVariant: Sendable {
    public var variant: DesignVariant
    public var png: [UInt8]
    public var width: Int
    public var height: Int
    public var sha256: [UInt8]
    /// The candidate's source pixels per printed inch at the placement (every variant of
    /// a candidate carries the print file's figure).
    public var effectiveDPI: Int?

    public init(variant: DesignVariant, png: [UInt8], width: Int, height: Int, sha256: [UInt8], effectiveDPI: Int? = nil) {
        self.effectiveDPI = effectiveDPI
        self.variant = variant
        self.png = png
        self.width = width
        self.height = height
        self.sha256 = sha256
    }
}
