/// A source of design images (DESIGN.md §6): the offline built-in generator (the embedded
/// default) or an HTTP image API. One interface, chosen by `ITP_IMAGE_PROVIDER`.
public protocol ImageProvider: Sendable {
    /// Stable provider name for logs and metrics labels (`builtin`, `openai-images`, `gemini`).
    var name: String { get }
    /// The model asked for (labels and job rows).
    var model: String { get }
    /// Generates one candidate. Throws ``ProviderError`` classified for the job runtime.
    func generate(_ request: ImageRequest) async throws -> GeneratedImage
}

/// One candidate to generate.
public struct ImageRequest: Sendable, Equatable {
    public var prompt: String
    public var candidateIndex: Int
    public var seed: UInt64
    /// Square edge in pixels asked for (providers may return their own size; it is checked).
    public var size: Int
    /// Regenerate-with-feedback: the shopper's feedback.
    public var feedback: String?
    /// Regenerate-with-feedback: PNG bytes of the previous iteration's reference design,
    /// sent where the API takes an input image.
    public var referencePNG: [UInt8]?

    public init(prompt: String, candidateIndex: Int, seed: UInt64, size: Int = 1024, feedback: String? = nil, referencePNG: [UInt8]? = nil) {
        self.prompt = prompt
        self.candidateIndex = candidateIndex
        self.seed = seed
        self.size = size
        self.feedback = feedback
        self.referencePNG = referencePNG
    }
}

/// A generated candidate: PNG bytes as the provider returned them (untrusted: the caller
/// bounds and decodes them), and what the call cost.
public struct GeneratedImage: Sendable {
    public var png: [UInt8]
    /// Provider cost units (images billed, tokens, …) recorded on the job row.
    public var costUnits: Int

    public init(png: [UInt8], costUnits: Int) {
        self.png = png
        self.costUnits = costUnits
    }
}
