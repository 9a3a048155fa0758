public import HTTPTransport
public import Logging
public import Metrics

/// Builds the configured provider, wrapped in ``MeasuredProvider`` so every call is
/// logged and counted.
public enum ProviderFactory {
    /// - Parameters:
    ///   - logger: passed to ``MeasuredProvider``.
    ///   - metricsFactory: the process's metrics backend by default.
    public static func makeProvider(
        _ configuration: ProviderConfiguration, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) -> MeasuredProvider {
        MeasuredProvider(makeBaseProvider(configuration), logger: logger, metricsFactory: metricsFactory)
    }

    /// The provider alone, without logging and metrics.
    ///
    /// A configuration made in code (not by ``ProviderConfiguration/init(environment:)``)
    /// with an HTTP kind and no base URL or key yields a provider whose calls fail as
    /// `permanent`, rather than a crash.
    public static func makeBaseProvider(_ configuration: ProviderConfiguration) -> any ImageProvider {
        switch configuration.kind {
        case .builtin:
            return BuiltinProvider()
        case .openAIImages:
            return OpenAIImagesProvider(
                baseURL: configuration.baseURL ?? "", apiKey: configuration.apiKey ?? "",
                model: configuration.model, http: httpClient(for: configuration))
        case .gemini:
            return GeminiProvider(
                baseURL: configuration.baseURL ?? "", apiKey: configuration.apiKey ?? "",
                model: configuration.model, http: httpClient(for: configuration))
        }
    }

    /// The client for one provider: the setting's timeout for the whole call, and a
    /// connect timeout that fails fast on a dead host without exceeding the whole.
    public static func httpClient(for configuration: ProviderConfiguration) -> HTTPClient {
        HTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: min(.seconds(10), configuration.timeout),
            totalTimeout: configuration.timeout,
            // A 4096² PNG in base64 inside JSON stays well below this.
            maxResponseBytes: 128 << 20,
            userAgent: "itp-fleet/1 (design-worker)"
        ))
    }
}
