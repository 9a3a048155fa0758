/// A template chosen for a product type, colour and kind, with the reason when it is a
/// declared default standing in for the one asked for.
public struct ResolvedTemplate: Sendable, Hashable {
    public var requestedProductType: String
    public var requestedColor: String
    /// The product type and colour of the template actually used.
    public var productType: String
    public var color: String
    public var kind: MockupKind
    public var entry: TemplateEntry
    /// Absolute (or catalogue-relative, as the catalogue directory was given) file paths.
    public var imagePath: String
    /// `nil` when the base image is its own shading source.
    public var shadingPath: String?
    /// Why the requested template was not used; `nil` when it was.
    public var fallbackReason: String?

    public var isFallback: Bool { fallbackReason != nil }

    public init(
        requestedProductType: String, requestedColor: String, productType: String, color: String, kind: MockupKind,
        entry: TemplateEntry, imagePath: String, shadingPath: String?, fallbackReason: String?
    ) {
        self.requestedProductType = requestedProductType
        self.requestedColor = requestedColor
        self.productType = productType
        self.color = color
        self.kind = kind
        self.entry = entry
        self.imagePath = imagePath
        self.shadingPath = shadingPath
        self.fallbackReason = fallbackReason
    }
}
