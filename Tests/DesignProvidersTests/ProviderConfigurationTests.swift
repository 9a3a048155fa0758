import DesignProviders
import Testing

@Suite("ProviderConfiguration and ProviderFactory")
struct ProviderConfigurationTests {
    @Test func defaultsToTheBuiltinProvider() throws {
        let configuration = try ProviderConfiguration(environment: [:])
        #expect(configuration.kind == .builtin)
        #expect(configuration.imageSize == 1024)
        #expect(configuration.timeout == .seconds(120))
        #expect(configuration.model == BuiltinProvider.modelName)
        #expect(ProviderFactory.makeBaseProvider(configuration) is BuiltinProvider)
    }

    @Test func readsEveryHTTPSetting() throws {
        let configuration = try ProviderConfiguration(environment: [
            "ITP_IMAGE_PROVIDER": "gemini", "ITP_IMAGE_API_BASE_URL": "https://images.example.test/",
            "ITP_IMAGE_API_KEY": "k-123", "ITP_IMAGE_MODEL": "gemini-2.5-flash-image-preview",
            "ITP_IMAGE_SIZE": "512", "ITP_PROVIDER_TIMEOUT_SECONDS": "30",
        ])
        #expect(configuration.kind == .gemini)
        #expect(configuration.baseURL == "https://images.example.test")
        #expect(configuration.apiKey == "k-123")
        #expect(configuration.model == "gemini-2.5-flash-image-preview")
        #expect(configuration.imageSize == 512)
        #expect(configuration.timeout == .seconds(30))
        #expect(!configuration.description.contains("k-123"))

        let provider = ProviderFactory.makeProvider(configuration, logger: .init(label: "test"))
        #expect(provider.name == "gemini")
        #expect(provider.model == "gemini-2.5-flash-image-preview")
        #expect(ProviderFactory.httpClient(for: configuration).configuration.totalTimeout == .seconds(30))
    }

    @Test(arguments: [(ProviderKind.openAIImages, "gpt-image-1"), (.gemini, "gemini-2.5-flash-image")])
    func modelDefaultsPerProvider(kind: ProviderKind, model: String) throws {
        let configuration = try ProviderConfiguration(environment: [
            "ITP_IMAGE_PROVIDER": kind.rawValue, "ITP_IMAGE_API_BASE_URL": "http://127.0.0.1:1", "ITP_IMAGE_API_KEY": "k",
        ])
        #expect(configuration.model == model)
        #expect(ProviderFactory.makeBaseProvider(configuration).name == kind.rawValue)
    }

    @Test(arguments: [
        (["ITP_IMAGE_PROVIDER": "midjourney"], "ITP_IMAGE_PROVIDER"),
        (["ITP_IMAGE_PROVIDER": "openai-images", "ITP_IMAGE_API_KEY": "k"], "ITP_IMAGE_API_BASE_URL"),
        (["ITP_IMAGE_PROVIDER": "gemini", "ITP_IMAGE_API_BASE_URL": "https://x.test"], "ITP_IMAGE_API_KEY"),
        (["ITP_IMAGE_PROVIDER": "gemini", "ITP_IMAGE_API_BASE_URL": "ftp://x.test", "ITP_IMAGE_API_KEY": "k"], "ITP_IMAGE_API_BASE_URL"),
        (["ITP_IMAGE_SIZE": "huge"], "ITP_IMAGE_SIZE"),
        (["ITP_IMAGE_SIZE": "8"], "ITP_IMAGE_SIZE"),
        (["ITP_PROVIDER_TIMEOUT_SECONDS": "0"], "ITP_PROVIDER_TIMEOUT_SECONDS"),
        (["ITP_IMAGE_MODEL": "../../admin"], "ITP_IMAGE_MODEL"),
    ])
    func badSettingsAreNamed(environment: [String: String], setting: String) {
        #expect(throws: ProviderConfigurationError.self) { try ProviderConfiguration(environment: environment) }
        do {
            _ = try ProviderConfiguration(environment: environment)
        } catch {
            #expect(error.setting == setting)
            #expect(error.description.hasPrefix(setting))
        }
    }

    @Test func theKeyIsNeverInAnError() {
        do {
            _ = try ProviderConfiguration(environment: [
                "ITP_IMAGE_PROVIDER": "gemini", "ITP_IMAGE_API_BASE_URL": "https://x.test", "ITP_IMAGE_API_KEY": "secret with space",
            ])
            Issue.record("a key with a space was accepted")
        } catch {
            #expect(error.setting == "ITP_IMAGE_API_KEY")
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func emptyValuesCountAsUnset() throws {
        let configuration = try ProviderConfiguration(environment: ["ITP_IMAGE_PROVIDER": "", "ITP_IMAGE_SIZE": " "])
        #expect(configuration.kind == .builtin)
        #expect(configuration.imageSize == 1024)
    }
}
