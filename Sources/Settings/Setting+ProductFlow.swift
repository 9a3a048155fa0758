/// The product flow's limits and prices. More than one daemon reads each of them, so
/// each is declared once, here, and ops set it once (`/etc/itp/itp.env`): the intake
/// refuses at the door what a worker would refuse later, and charges what it says.
public enum ProductFlowDefaults {
    /// The most candidates one design job may ask for, whatever a setting says: each
    /// candidate is a paid provider call and three stored blobs.
    public static let candidatesHardLimit = 8
    /// Default of ``Setting/designCandidatesMax``.
    public static let candidatesMax = 4
    /// Candidates of a product whose request names none (at most the configured maximum).
    public static let candidates = 4
    /// Default of ``Setting/priceCreate``: credits reserved by a product's first generation.
    public static let priceCreate = 1
    /// Default of ``Setting/priceRegenerate``: credits reserved by each regeneration.
    public static let priceRegenerate = 1
    /// Default of ``Setting/priceLibrary``: credits reserved by a product made from a library design.
    public static let priceLibrary = 1
    /// No price setting may exceed this.
    public static let priceLimit = 1_000_000
}

extension Setting {
    public static let designCandidatesMax = Setting(
        "ITP_DESIGN_CANDIDATES_MAX", flag: "design-candidates-max",
        help: "Most candidates one product may ask for (1 to \(ProductFlowDefaults.candidatesHardLimit)). Read by itp-intake (a request asking for more answers 400) and itp-design-worker (a job asking for more is dead-lettered as permanent): set it once for both.",
        default: "\(ProductFlowDefaults.candidatesMax)")
    public static let priceCreate = Setting(
        "ITP_PRICE_CREATE", flag: "price-create",
        help: "Credits reserved when a product is created (its first generation); consumed when it is ready for sale, refunded when it fails or is cancelled. Read by itp-intake.",
        default: "\(ProductFlowDefaults.priceCreate)")
    public static let priceRegenerate = Setting(
        "ITP_PRICE_REGENERATE", flag: "price-regenerate",
        help: "Credits reserved by each regeneration with feedback; settled like the creation's. Read by itp-intake.",
        default: "\(ProductFlowDefaults.priceRegenerate)")
    public static let priceLibrary = Setting(
        "ITP_PRICE_LIBRARY", flag: "price-library",
        help: "Credits reserved when a product is made from a library design (no generation; 0: free, nothing reserved); settled like the creation's. Read by itp-intake.",
        default: "\(ProductFlowDefaults.priceLibrary)")
}
