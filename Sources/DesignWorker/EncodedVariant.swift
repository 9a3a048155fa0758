/// One variant encoded as PNG, with what its asset row records.
public struct EncodedVariant: Sendable {
    public var variant: DesignVariant
    public var png: [UInt8]
    public var width: Int
    public var height: Int
    public var sha256: [UInt8]

    public init(variant: DesignVariant, png: [UInt8], width: Int, height: Int, sha256: [UInt8]) {
        self.variant = variant
        self.png = png
        self.width = width
        self.height = height
        self.sha256 = sha256
    }
}
