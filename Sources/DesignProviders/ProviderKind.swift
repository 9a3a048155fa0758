/// Which image provider a process uses (`ITP_IMAGE_PROVIDER`). The raw value is the
/// provider's stable name in settings, logs and metrics labels.
public enum ProviderKind: String, Sendable, CaseIterable {
    /// The offline, deterministic ``BuiltinProvider`` (the default).
    case builtin
    /// The OpenAI Images API (``OpenAIImagesProvider``).
    case openAIImages = "openai-images"
    /// Google's Gemini API with an image-output model (``GeminiProvider``).
    case gemini

    /// The model used when `ITP_IMAGE_MODEL` is unset.
    public var defaultModel: String {
        switch self {
        case .builtin: BuiltinProvider.modelName
        case .openAIImages: "gpt-image-1"
        case .gemini: "gemini-2.5-flash-image"
        }
    }

    /// Whether the provider calls an HTTP API (and so needs a base URL and a key).
    public var usesHTTP: Bool { self != .builtin }
}
