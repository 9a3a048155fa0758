import DesignProviders
import InMemoryLogging
import Logging
import MetricsTestKit
import Testing

@Suite("MeasuredProvider logs and counts every call")
struct MeasuredProviderTests {
    /// Answers with a fixed result, standing in for any provider.
    struct StubProvider: ImageProvider {
        var result: Result<GeneratedImage, ProviderError>
        var name: String { "stub" }
        var model: String { "stub-model-1" }
        func generate(_ request: ImageRequest) async throws -> GeneratedImage { try result.get() }
    }

    /// Throws something that is not a ProviderError.
    struct BrokenProvider: ImageProvider {
        var name: String { "broken" }
        var model: String { "m" }
        func generate(_ request: ImageRequest) async throws -> GeneratedImage { throw CancellationError() }
    }

    let metrics = TestMetrics()
    let logs = InMemoryLogHandler()
    var logger: Logger { Logger(label: "test") { _ in logs } }
    let request = ImageRequest(prompt: "p", candidateIndex: 3, seed: 1)

    @Test func successIsCountedAsOKAndLoggedWithCost() async throws {
        let measured = MeasuredProvider(StubProvider(result: .success(GeneratedImage(png: [1, 2], costUnits: 5))), logger: logger, metricsFactory: metrics)
        _ = try await measured.generate(request)

        let counter = try metrics.expectCounter("itp_provider_calls_total", [("provider", "stub"), ("outcome", "ok"), ("error_class", "none")])
        #expect(counter.totalValue == 1)
        #expect(try metrics.expectTimer("itp_provider_call_duration_seconds", [("provider", "stub")]).values.count == 1)

        let entry = try #require(logs.entries.last)
        #expect(entry.level == .info)
        #expect(entry.metadata["itp.provider.name"] == "stub")
        #expect(entry.metadata["itp.provider.model"] == "stub-model-1")
        #expect(entry.metadata["itp.provider.outcome"] == "ok")
        #expect(entry.metadata["itp.provider.cost_units"] == "5")
        #expect(entry.metadata["itp.provider.candidate"] == "3")
        #expect(entry.metadata["itp.provider.duration_ms"] != nil)
    }

    @Test(arguments: [ProviderError.Class.rateLimited, .transient, .permanent])
    func failuresAreCountedByErrorClass(errorClass: ProviderError.Class) async throws {
        let failure = ProviderError(errorClass, "stub: it broke", retryAfter: errorClass == .rateLimited ? .seconds(4) : nil)
        let measured = MeasuredProvider(StubProvider(result: .failure(failure)), logger: logger, metricsFactory: metrics)
        let thrown = try #require(await TestSupport.providerError { try await measured.generate(request) })

        #expect(thrown.errorClass == errorClass)
        #expect(thrown.message == "stub: it broke")
        let counter = try metrics.expectCounter(
            "itp_provider_calls_total", [("provider", "stub"), ("outcome", "error"), ("error_class", errorClass.rawValue)])
        #expect(counter.totalValue == 1)
        #expect(metrics.counters(label: "itp_provider_calls_total").count == 1)

        let entry = try #require(logs.entries.last)
        #expect(entry.level == .warning)
        #expect(entry.metadata["itp.error.class"] == "\(errorClass.rawValue)")
        #expect(entry.metadata["itp.error.message"] == "stub: it broke")
        #expect(entry.metadata["itp.provider.outcome"] == "error")
    }

    @Test func otherErrorsBecomeTransientProviderErrors() async throws {
        let measured = MeasuredProvider(BrokenProvider(), logger: logger, metricsFactory: metrics)
        let thrown = try #require(await TestSupport.providerError { try await measured.generate(request) })

        #expect(thrown.errorClass == .transient)
        #expect(try metrics.expectCounter(
            "itp_provider_calls_total", [("provider", "broken"), ("outcome", "error"), ("error_class", "transient")]).totalValue == 1)
    }
}
