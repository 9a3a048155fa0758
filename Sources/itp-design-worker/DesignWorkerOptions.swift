import ArgumentParser
import DesignProviders
import DesignWorker
import Imaging
import Settings

/// The design worker's flags, resolved against the environment and file once at boot.
struct DesignWorkerOptions: ParsableArguments {
    @Option(name: .customLong("image-provider"), help: .setting(.imageProvider)) var imageProvider: String?
    @Option(name: .customLong("image-api-base-url"), help: .setting(.imageAPIBaseURL)) var imageAPIBaseURL: String?
    @Option(name: .customLong("image-api-key"), help: .setting(.imageAPIKey)) var imageAPIKey: String?
    @Option(name: .customLong("image-model"), help: .setting(.imageModel)) var imageModel: String?
    @Option(name: .customLong("image-size"), help: .setting(.imageSize)) var imageSize: String?
    @Option(name: .customLong("provider-timeout-seconds"), help: .setting(.providerTimeout)) var providerTimeout: String?
    @Option(name: .customLong("design-candidates-max"), help: .setting(.designCandidatesMax)) var candidatesMax: String?
    @Option(name: .customLong("prefetch"), help: .setting(.designPrefetch)) var prefetch: String?
    @Option(name: .customLong("design-max-image-edge"), help: .setting(.designMaxImageEdge)) var maxImageEdge: String?
    @Option(name: .customLong("design-max-image-pixels"), help: .setting(.designMaxImagePixels)) var maxImagePixels: String?
    @Option(name: .customLong("max-attempts"), help: .setting(.designMaxAttempts)) var maxAttempts: String?
    @Option(name: .customLong("shutdown-grace"), help: .setting(.designShutdownGrace)) var shutdownGrace: String?
    @Option(name: .customLong("spool-dir"), help: .setting(.designSpoolDir)) var spoolDir: String?

    @Flag(help: "Declare the design.generate queue's topology before consuming (single-node set-ups; production uses `itp-admin broker setup`).")
    var declare = false

    struct Resolved {
        var provider: ProviderConfiguration
        var handler: DesignWorkerConfiguration
        var prefetch: Int
        var maxAttempts: Int
        var shutdownGrace: Int
    }

    func resolve(_ source: SettingsSource) throws -> Resolved {
        func integer(_ setting: Setting, _ flag: String?, in range: ClosedRange<Int>) throws -> Int {
            let text = setting.raw(flag: flag, in: source) ?? ""
            guard let value = Int(text), range.contains(value) else {
                throw setting.error("expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
            }
            return value
        }
        var handler = DesignWorkerConfiguration()
        handler.maxCandidates = try integer(.designCandidatesMax, candidatesMax, in: 1...DesignWorkerConfiguration.candidatesHardLimit)
        let edge = try integer(.designMaxImageEdge, maxImageEdge, in: 64...20_000)
        let pixels = try integer(.designMaxImagePixels, maxImagePixels, in: 4096...100_000_000)
        handler.imageLimits = ImageLimits(maxWidth: edge, maxHeight: edge, maxPixels: pixels)
        let spool = Setting.designSpoolDir.raw(flag: spoolDir, in: source) ?? ""
        guard spool.isEmpty || spool.hasPrefix("/") else {
            throw Setting.designSpoolDir.error("expected an absolute directory (or empty to keep nothing), got '\(spool)'")
        }
        handler.spoolDirectory = spool.isEmpty ? nil : spool

        // ProviderConfiguration reads names from an environment-like map: flags win over it.
        var environment = source.file.merging(source.environment) { _, environment in environment }
        let flags: [(Setting, String?)] = [
            (.imageProvider, imageProvider), (.imageAPIBaseURL, imageAPIBaseURL), (.imageAPIKey, imageAPIKey),
            (.imageModel, imageModel), (.imageSize, imageSize), (.providerTimeout, providerTimeout),
        ]
        for (setting, value) in flags {
            if let value, !value.isEmpty { environment[setting.environment] = value }
        }
        let provider: ProviderConfiguration
        do {
            provider = try ProviderConfiguration(environment: environment)
        } catch {
            let flag = Setting.designWorkerSettings.first { $0.environment == error.setting }?.flag
            throw SettingsError(setting: error.setting, flag: flag, reason: error.reason)
        }
        handler.imageSize = provider.imageSize
        return Resolved(
            provider: provider, handler: handler,
            prefetch: try integer(.designPrefetch, prefetch, in: 1...64),
            maxAttempts: try integer(.designMaxAttempts, maxAttempts, in: 1...50),
            shutdownGrace: try integer(.designShutdownGrace, shutdownGrace, in: 1...3600))
    }
}
