/// How strongly the garment shows through a print. The defaults read as ink printed on
/// cotton; 0 for everything gives a flat paste-on (useful only for debugging).
public struct ShadingOptions: Sendable, Hashable {
    /// Weight of the low-frequency shading (folds, lighting), 0…1.
    public var shading: Double
    /// Weight of the high-frequency texture (knit, grain), 0…2.
    public var texture: Double
    /// Largest offset, in template pixels, by which fabric relief displaces the print
    /// (perspective mockups only; 0 turns displacement off).
    public var displacement: Double
    /// Radius, as a fraction of the print area's shorter side, of the blur that splits
    /// shading (kept) from texture (the residual).
    public var shadingRadius: Double

    public init(shading: Double = 0.9, texture: Double = 1.0, displacement: Double = 2.5, shadingRadius: Double = 0.02) {
        self.shading = shading
        self.texture = texture
        self.displacement = displacement
        self.shadingRadius = shadingRadius
    }
}
