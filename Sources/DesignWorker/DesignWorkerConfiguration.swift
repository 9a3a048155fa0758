public import Imaging
public import PNG
import Settings

/// What the design handler accepts and produces. Built once in `main` from validated
/// settings and passed down; the defaults are the documented production values.
public struct DesignWorkerConfiguration: Sendable {
    /// The most candidates one job may ask for (`ITP_DESIGN_CANDIDATES_MAX`, which the
    /// intake reads too, so it never accepts a product this worker refuses). A job asking
    /// for more is refused as permanent: silently making fewer than were paid for is worse.
    public var maxCandidates = ProductFlowDefaults.candidatesMax
    /// No setting may raise ``maxCandidates`` above this: each candidate is a paid
    /// provider call and three stored blobs.
    public static let candidatesHardLimit = ProductFlowDefaults.candidatesHardLimit
    /// Longest prompt in characters (`products.prompt` allows 2000).
    public var maxPromptLength = 2000
    /// Longest regenerate-with-feedback text in characters.
    public var maxFeedbackLength = 2000
    /// Square edge in pixels asked of the provider (`ITP_IMAGE_SIZE`, see `ProviderConfiguration`).
    public var imageSize = 1024
    /// Bounds on what a provider may return, checked on the PNG header before decoding.
    /// 25 MP admits the largest design we handle (4500×5400) while one RGBA copy stays
    /// near 100 MB; a job holds about four such buffers at its peak.
    public var imageLimits = ImageLimits(maxWidth: 8192, maxHeight: 8192, maxPixels: 25_000_000)
    /// The print file: 12×16 in at 300 DPI (3600×4800), background removal with
    /// ``DTFOptions/backgroundRemover`` (also used for the `background_removed` variant).
    public var dtf = DTFOptions()
    /// zlib settings for every stored variant; see ``DesignWorkerConfiguration/fastEncoding``.
    public var encoding = DesignWorkerConfiguration.fastEncoding
    /// Where the provider's images are kept for the job's retries (`ITP_DESIGN_SPOOL_DIR`;
    /// the daemon's default is `/var/lib/itp/spool`); nil keeps nothing (every retry calls
    /// the provider again). See ``ProviderSpool``.
    public var spoolDirectory: String?

    public init() {}

    /// libpng's defaults (level 6, every filter tried on every row) take 1–4 s for a
    /// print file; level 2 with only the `up` filter is ~10× faster for ~40% more bytes,
    /// and the smallest of the fast settings measured by `benchmarks/dtf` (Z_RLE and `sub`
    /// were 7–9% larger at the same speed). Encoding is on the critical path of every
    /// job, three times per candidate; storage is cheap.
    public static let fastEncoding = EncodingOptions(compressionLevel: 2, filters: [.up], strategy: .filtered)
}
