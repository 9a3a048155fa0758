/// A design candidate's print quality at the product's placement, as the API shows it:
/// `{"code": "low_resolution", "effective_dpi": 96, "minimum_dpi": 150}` when the design
/// has fewer source pixels per printed inch than prints sharply. Upscaling stays allowed;
/// the builder shows the warning before selection.
struct PrintQuality: Encodable, Sendable, Equatable {
    var code: String
    var effectiveDPI: Int
    var minimumDPI: Int

    /// Below this the print looks soft or pixelated (DESIGN.md §11).
    static let minimumDPI = 150

    private enum CodingKeys: String, CodingKey {
        case code, effectiveDPI = "effective_dpi", minimumDPI = "minimum_dpi"
    }

    /// The warning of a stored `print_quality` code, or `nil` when there is none.
    init?(code: String?, effectiveDPI: Int?) {
        guard let code, let effectiveDPI else { return nil }
        self.code = code
        self.effectiveDPI = effectiveDPI
        self.minimumDPI = Self.minimumDPI
    }
}
