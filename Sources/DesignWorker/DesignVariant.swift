/// The stored variants of one design candidate (DESIGN.md §6); raw values are the
/// `asset_variant` Postgres enum.
public enum DesignVariant: String, Sendable, CaseIterable {
    /// The provider's image, as decoded (re-encoded without the provider's ancillary chunks).
    case original
    /// Print-ready: transparent background, alpha cleaned, trimmed, fitted to the print
    /// size, 300 DPI recorded in pHYs.
    case dtf
    /// The original with its uniform border-connected background made transparent.
    case backgroundRemoved = "background_removed"
}
