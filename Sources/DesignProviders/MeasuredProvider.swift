public import Logging
public import Metrics

/// Decorates any provider with one log line and two metrics per call: the counter
/// `itp_provider_calls_total{provider, outcome, error_class}` and the timer
/// `itp_provider_call_duration_seconds{provider}` (names in ``ProviderTelemetry``).
///
/// Labels are bounded: the provider name, `ok`/`error`, and an error class. The model,
/// prompt and job stay out of labels; the model goes in the log line only.
///
/// Errors that are not a ``ProviderError`` (a bug, or cancellation) are rethrown as a
/// `transient` ``ProviderError`` so the job runtime always gets a classified failure.
public struct MeasuredProvider: ImageProvider {
    public let base: any ImageProvider
    private let logger: Logger
    private let metricsFactory: any MetricsFactory

    public var name: String { base.name }
    public var model: String { base.model }

    /// - Parameters:
    ///   - logger: the caller's logger (libraries never create their own).
    ///   - metricsFactory: where the metrics go; the process's bootstrapped backend by default.
    public init(_ base: any ImageProvider, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.base = base
        self.logger = logger
        self.metricsFactory = metricsFactory
    }

    public func generate(_ request: ImageRequest) async throws -> GeneratedImage {
        let started = ContinuousClock.now
        let result: Result<GeneratedImage, ProviderError>
        do {
            result = .success(try await base.generate(request))
        } catch let error as ProviderError {
            result = .failure(error)
        } catch {
            result = .failure(ProviderError(.transient, "\(base.name): unexpected error: \(error)"))
        }
        record(result, request: request, duration: ContinuousClock.now - started)
        return try result.get()
    }

    private func record(_ result: Result<GeneratedImage, ProviderError>, request: ImageRequest, duration: Duration) {
        typealias Key = ProviderTelemetry.MetadataKey
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        Timer(label: ProviderTelemetry.durationMetric, dimensions: [("provider", name)], factory: metricsFactory)
            .recordNanoseconds(nanoseconds)

        var metadata: Logger.Metadata = [
            Key.provider: "\(name)", Key.model: "\(model)",
            Key.durationMilliseconds: "\(nanoseconds / 1_000_000)", Key.candidate: "\(request.candidateIndex)",
        ]
        switch result {
        case .success(let image):
            count(outcome: ProviderTelemetry.outcomeOK, errorClass: ProviderTelemetry.noErrorClass)
            metadata[Key.outcome] = "\(ProviderTelemetry.outcomeOK)"
            metadata[Key.errorClass] = "\(ProviderTelemetry.noErrorClass)"
            metadata[Key.costUnits] = "\(image.costUnits)"
            logger.info("image provider call succeeded", metadata: metadata)
        case .failure(let error):
            count(outcome: ProviderTelemetry.outcomeError, errorClass: error.errorClass.rawValue)
            metadata[Key.outcome] = "\(ProviderTelemetry.outcomeError)"
            metadata[Key.errorClass] = "\(error.errorClass.rawValue)"
            metadata[Key.costUnits] = "0"
            metadata[Key.errorMessage] = "\(error.message)"
            if let retryAfter = error.retryAfter {
                metadata[Key.retryAfterSeconds] = "\(retryAfter.components.seconds)"
            }
            logger.warning("image provider call failed", metadata: metadata)
        }
    }

    private func count(outcome: String, errorClass: String) {
        Counter(
            label: ProviderTelemetry.callsMetric,
            dimensions: [("provider", name), ("outcome", outcome), ("error_class", errorClass)],
            factory: metricsFactory
        ).increment()
    }
}
