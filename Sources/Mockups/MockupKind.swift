/// The two kinds of mockup (DESIGN.md §1 steps 4 and 5). Raw values are the manifest's keys.
public enum MockupKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The garment photographed flat from above; print area a rectangle.
    case flatLay = "flat_lay"
    /// The garment photographed at an angle; print area four corners.
    case mrImagine = "mr_imagine"
}
