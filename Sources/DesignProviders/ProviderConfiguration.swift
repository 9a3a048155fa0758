/// Which image provider to use and how to reach it (DESIGN.md §6, STYLE.md point 10).
///
/// Read once at boot with ``init(environment:)``; every field has a documented default
/// except the HTTP providers' base URL and key, which must be given.
public struct ProviderConfiguration: Sendable, Equatable {
    /// `ITP_IMAGE_PROVIDER`: `builtin` (default), `openai-images` or `gemini`.
    public var kind: ProviderKind
    /// `ITP_IMAGE_API_BASE_URL`: scheme and host (and optional path prefix) of the HTTP
    /// API, without a trailing slash. Required for HTTP providers; unused by `builtin`.
    public var baseURL: String?
    /// `ITP_IMAGE_API_KEY`. Required for HTTP providers. Never printed: `description`
    /// redacts it.
    public var apiKey: String?
    /// `ITP_IMAGE_MODEL`; default ``ProviderKind/defaultModel``.
    public var model: String
    /// `ITP_IMAGE_SIZE`: the square edge in pixels the worker asks for in each
    /// ``ImageRequest``. Default 1024.
    public var imageSize: Int
    /// `ITP_PROVIDER_TIMEOUT_SECONDS`: the whole HTTP call, connect included. Default 120 s,
    /// because image generation routinely takes tens of seconds.
    public var timeout: Duration

    /// Smallest and largest accepted `ITP_IMAGE_SIZE`: the art generator needs some pixels,
    /// and no API generates more than a few thousand per edge.
    public static let imageSizeRange = 64...4096

    public init(
        kind: ProviderKind = .builtin,
        baseURL: String? = nil,
        apiKey: String? = nil,
        model: String? = nil,
        imageSize: Int = 1024,
        timeout: Duration = .seconds(120)
    ) {
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model ?? kind.defaultModel
        self.imageSize = imageSize
        self.timeout = timeout
    }
}

extension ProviderConfiguration: CustomStringConvertible {
    /// Safe to log: the key is shown only as set or not.
    public var description: String {
        "provider=\(kind.rawValue) model=\(model) size=\(imageSize) timeout=\(timeout) "
            + "base_url=\(baseURL ?? "-") api_key=\(apiKey == nil ? "unset" : "[redacted]")"
    }
}
