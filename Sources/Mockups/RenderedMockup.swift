/// A finished mockup: PNG bytes and what they were made from.
public struct RenderedMockup: Sendable {
    public var png: [UInt8]
    public var width: Int
    public var height: Int
    public var info: TemplateInfo

    public init(png: [UInt8], width: Int, height: Int, info: TemplateInfo) {
        self.png = png
        self.width = width
        self.height = height
        self.info = info
    }
}
