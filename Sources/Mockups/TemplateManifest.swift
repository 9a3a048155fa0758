/// `templates/manifest.json`: product type × colour → a flat-lay and an mr_imagine template,
/// plus the declared fallbacks. See `templates/README.md` for the format.
public struct TemplateManifest: Sendable, Hashable, Codable {
    /// The templates of one product type.
    public struct ProductType: Sendable, Hashable, Codable {
        /// The colour used when a requested colour has no template.
        public var defaultColor: String
        public var colors: [String: Colorway]
        /// Printable area per side (`front`, `back`), in millimetres. `nil` in a catalogue
        /// without placements: designs are then centred in each template's print area and
        /// printed at the fixed default size, as before placements existed.
        public var printAreas: [String: PrintableArea]?
        /// Named placements (`full_front`, `center_chest`, `left_chest`, `full_back`, …).
        public var presets: [String: Placement]?
        /// The preset a product gets when its request names none.
        public var defaultPreset: String?

        public init(defaultColor: String, colors: [String: Colorway], printAreas: [String: PrintableArea]? = nil,
                    presets: [String: Placement]? = nil, defaultPreset: String? = nil) {
            self.defaultColor = defaultColor
            self.colors = colors
            self.printAreas = printAreas
            self.presets = presets
            self.defaultPreset = defaultPreset
        }

        /// The printable area of `side`, if declared.
        public func printableArea(_ side: PrintSide) -> PrintableArea? {
            printAreas?[side.rawValue]
        }

        /// The preset `name`, with its name filled in.
        public func preset(_ name: String) -> Placement? {
            guard var placement = presets?[name] else { return nil }
            placement.preset = name
            return placement
        }

        private enum CodingKeys: String, CodingKey {
            case defaultColor = "default_color"
            case colors
            case printAreas = "print_areas"
            case presets
            case defaultPreset = "default_preset"
        }
    }

    /// The templates of one side other than the front (the front's are the colourway's own).
    public struct SideTemplates: Sendable, Hashable, Codable {
        public var flatLay: TemplateEntry?
        public var mrImagine: TemplateEntry?

        public init(flatLay: TemplateEntry?, mrImagine: TemplateEntry?) {
            self.flatLay = flatLay
            self.mrImagine = mrImagine
        }

        private enum CodingKeys: String, CodingKey {
            case flatLay = "flat_lay"
            case mrImagine = "mr_imagine"
        }
    }

    /// The templates of one colour of one product type.
    public struct Colorway: Sendable, Hashable, Codable {
        /// The front's templates (the only side before placements).
        public var flatLay: TemplateEntry?
        public var mrImagine: TemplateEntry?
        /// The back's templates; their print areas map the type's `print_areas.back`.
        public var back: SideTemplates?

        public init(flatLay: TemplateEntry?, mrImagine: TemplateEntry?, back: SideTemplates? = nil) {
            self.flatLay = flatLay
            self.mrImagine = mrImagine
            self.back = back
        }

        /// The front's template of `kind`.
        public subscript(kind: MockupKind) -> TemplateEntry? {
            self[kind, .front]
        }

        public subscript(kind: MockupKind, side: PrintSide) -> TemplateEntry? {
            switch (side, kind) {
            case (.front, .flatLay): flatLay
            case (.front, .mrImagine): mrImagine
            case (.back, .flatLay): back?.flatLay
            case (.back, .mrImagine): back?.mrImagine
            }
        }

        private enum CodingKeys: String, CodingKey {
            case flatLay = "flat_lay"
            case mrImagine = "mr_imagine"
            case back
        }
    }

    /// The format version; this code reads version 1.
    public var manifestVersion: Int
    /// Used when a requested product type has no templates at all.
    public var defaultProductType: String?
    public var productTypes: [String: ProductType]

    public static let supportedVersion = 1

    public init(manifestVersion: Int = supportedVersion, defaultProductType: String?, productTypes: [String: ProductType]) {
        self.manifestVersion = manifestVersion
        self.defaultProductType = defaultProductType
        self.productTypes = productTypes
    }

    private enum CodingKeys: String, CodingKey {
        case manifestVersion = "manifest_version"
        case defaultProductType = "default_product_type"
        case productTypes = "product_types"
    }
}
