import DesignProviders
import Foundation
import HTTPTransport
import PNG
import Testing

/// Fixtures shared by the provider tests.
enum TestSupport {
    static let apiKey = "sk-test-SECRET-0123456789"

    /// A real 8×8 PNG, as an API would return it.
    static let png: [UInt8] = {
        let pixels = (0..<64).flatMap { index -> [UInt8] in [UInt8(index * 4), 0x80, 0x20, 0xFF] }
        // Test fixture: a failure here is a broken PNG module, reported by the crash.
        return try! PNGEncoder.encode(Image(width: 8, height: 8, format: .rgba8, pixels: pixels))
    }()

    static var pngBase64: String { Data(png).base64EncodedString() }

    /// A client with short timeouts, so the "slow server" tests end quickly.
    static func http(timeout: Duration = .seconds(10)) -> HTTPClient {
        HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(5), totalTimeout: timeout, maxResponseBytes: 8 << 20))
    }

    /// Runs `body`, expecting a ``ProviderError``; records an issue otherwise.
    static func providerError(_ body: () async throws -> GeneratedImage) async -> ProviderError? {
        do {
            _ = try await body()
            Issue.record("expected a ProviderError, the call succeeded")
        } catch let error as ProviderError {
            #expect(!error.message.contains(apiKey), "the API key leaked into: \(error.message)")
            return error
        } catch {
            Issue.record("expected a ProviderError, got \(error)")
        }
        return nil
    }

    /// The JSON object in `body`, or an empty one (the test's field checks then fail).
    static func jsonObject(_ body: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}
