import ArgumentParser
import DesignProviders
import DesignWorker
import Imaging
import Settings

/// The design worker's flags, resolved against the environment and file once at boot.
struct DesignWorkerOptions: ParsableArguments {
    @Option(setting: .imageProvider) var imageProvider: String?
    @Option(setting: .imageAPIBaseURL) var imageAPIBaseURL: String?
    @Option(setting: .imageAPIKey) var imageAPIKey: String?
    @Option(setting: .imageModel) var imageModel: String?
    @Option(setting: .imageSize) var imageSize: String?
    @Option(setting: .providerTimeout) var providerTimeout: String?
    @Option(setting: .providerCallsPerMinute) var providerCallsPerMinute: String?
    @Option(setting: .designCandidatesMax) var candidatesMax: String?
    @Option(setting: .designPrefetch) var prefetch: String?
    @Option(setting: .designMaxImageEdge) var maxImageEdge: String?
    @Option(setting: .designMaxImagePixels) var maxImagePixels: String?
    @Option(setting: .designMaxAttempts) var maxAttempts: String?
    @Option(setting: .designShutdownGrace) var shutdownGrace: String?
    @Option(setting: .designSpoolDir) var spoolDir: String?

    @Flag(help: "Declare the design.generate queue's topology before consuming (single-node set-ups; production uses `itp-admin broker setup`).")
    var declare = false

    struct Resolved {
        var provider: ProviderConfiguration
        /// The fleet's rate for the provider account (nil: only 429 pauses).
        var callsPerMinute: Int?
        var handler: DesignWorkerConfiguration
        var prefetch: Int
        var maxAttempts: Int
        var shutdownGrace: Int
    }

    func resolve(_ source: SettingsSource) throws -> Resolved {
        var handler = DesignWorkerConfiguration()
        handler.maxCandidates = try Setting.designCandidatesMax.number(
            flag: candidatesMax, in: source, range: 1...DesignWorkerConfiguration.candidatesHardLimit)
        let edge = try Setting.designMaxImageEdge.number(flag: maxImageEdge, in: source, range: 64...20_000)
        let pixels = try Setting.designMaxImagePixels.number(flag: maxImagePixels, in: source, range: 4096...100_000_000)
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
        let rate = Setting.providerCallsPerMinute.raw(flag: providerCallsPerMinute, in: source) ?? ""
        return Resolved(
            provider: provider,
            callsPerMinute: rate.isEmpty ? nil : try Setting.providerCallsPerMinute.number(flag: providerCallsPerMinute, in: source, range: 1...100_000),
            handler: handler,
            prefetch: try Setting.designPrefetch.number(flag: prefetch, in: source, range: 1...64),
            maxAttempts: try Setting.designMaxAttempts.number(flag: maxAttempts, in: source, range: 1...50),
            shutdownGrace: try Setting.designShutdownGrace.number(flag: shutdownGrace, in: source, range: 1...3600))
    }
}
