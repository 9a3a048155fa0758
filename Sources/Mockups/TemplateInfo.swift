/// What a mockup was made from; stored as the asset's `template_info` (jsonb).
///
/// JSON keys are snake_case: `product_type`, `color`, `kind`, `template_id`,
/// `template_version`, `print_area` (the pixels the design was drawn into), `renderer_version`,
/// `fallback`, `fallback_reason` (always present, `null` unless `fallback`),
/// `requested_product_type`, `requested_color`, `side`, `placement` (`null` when the
/// catalogue has no placements) and `design_sha256` (hex, of the design blob rendered;
/// the finalizer promotes a mockup only when it is the current primary's).
public struct TemplateInfo: Sendable, Hashable, Codable {
    /// Of the template used (the default's, after a fallback).
    public var productType: String
    public var color: String
    public var kind: MockupKind
    public var templateID: String
    public var templateVersion: Int
    public var printArea: PrintArea
    public var rendererVersion: String
    public var fallback: Bool
    public var fallbackReason: String?
    public var requestedProductType: String
    public var requestedColor: String
    public var side: PrintSide
    public var placement: Placement?
    public var designSHA256: String?

    public init(_ template: ResolvedTemplate, rendererVersion: String) {
        productType = template.productType
        color = template.color
        kind = template.kind
        templateID = template.entry.id
        templateVersion = template.entry.version
        printArea = template.entry.printArea
        self.rendererVersion = rendererVersion
        fallback = template.isFallback
        fallbackReason = template.fallbackReason
        requestedProductType = template.requestedProductType
        requestedColor = template.requestedColor
        side = template.side
        placement = nil
        designSHA256 = nil
    }

    private enum CodingKeys: String, CodingKey {
        case productType = "product_type"
        case color, kind
        case templateID = "template_id"
        case templateVersion = "template_version"
        case printArea = "print_area"
        case rendererVersion = "renderer_version"
        case fallback
        case fallbackReason = "fallback_reason"
        case requestedProductType = "requested_product_type"
        case requestedColor = "requested_color"
        case side, placement
        case designSHA256 = "design_sha256"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        productType = try container.decode(String.self, forKey: .productType)
        color = try container.decode(String.self, forKey: .color)
        kind = try container.decode(MockupKind.self, forKey: .kind)
        templateID = try container.decode(String.self, forKey: .templateID)
        templateVersion = try container.decode(Int.self, forKey: .templateVersion)
        printArea = try container.decode(PrintArea.self, forKey: .printArea)
        rendererVersion = try container.decode(String.self, forKey: .rendererVersion)
        fallback = try container.decode(Bool.self, forKey: .fallback)
        fallbackReason = try container.decodeIfPresent(String.self, forKey: .fallbackReason)
        requestedProductType = try container.decodeIfPresent(String.self, forKey: .requestedProductType) ?? productType
        requestedColor = try container.decodeIfPresent(String.self, forKey: .requestedColor) ?? color
        side = try container.decodeIfPresent(PrintSide.self, forKey: .side) ?? .front
        placement = try container.decodeIfPresent(Placement.self, forKey: .placement)
        designSHA256 = try container.decodeIfPresent(String.self, forKey: .designSHA256)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(productType, forKey: .productType)
        try container.encode(color, forKey: .color)
        try container.encode(kind, forKey: .kind)
        try container.encode(templateID, forKey: .templateID)
        try container.encode(templateVersion, forKey: .templateVersion)
        try container.encode(printArea, forKey: .printArea)
        try container.encode(rendererVersion, forKey: .rendererVersion)
        try container.encode(fallback, forKey: .fallback)
        // Explicit null: readers of the jsonb column should not have to know the key is optional.
        try container.encode(fallbackReason, forKey: .fallbackReason)
        try container.encode(requestedProductType, forKey: .requestedProductType)
        try container.encode(requestedColor, forKey: .requestedColor)
        try container.encode(side, forKey: .side)
        try container.encode(placement, forKey: .placement)
        try container.encode(designSHA256, forKey: .designSHA256)
    }
}
