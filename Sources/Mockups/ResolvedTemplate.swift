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

    /// The side of the garment the template shows.
    public var side: PrintSide
    /// The millimetres its print area stands for (the type's printable area of `side`);
    /// `nil` in a catalogue without placements.
    public var printableArea: PrintableArea?

    public var isFallback: Bool { fallbackReason != nil }

    /// The template's pixel print area of `box` (millimetres on ``printableArea``), or `nil`
    /// when the catalogue declares no printable area for the side.
    public func mapped(_ box: MillimetreRect) -> PrintArea? {
        guard let printableArea else { return nil }
        return TemplateMapping(printArea: entry.printArea, area: printableArea)?.map(box)
    }

    public init(
        requestedProductType: String, requestedColor: String, productType: String, color: String, kind: MockupKind,
        entry: TemplateEntry, imagePath: String, shadingPath: String?, fallbackReason: String?,
        side: PrintSide = .front, printableArea: PrintableArea? = nil
    ) {
        self.side = side
        self.printableArea = printableArea
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
