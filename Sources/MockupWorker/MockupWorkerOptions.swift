public import ArgumentParser
public import Settings

/// The flags of ``MockupWorkerConfiguration``, shared by `itp-flatlay-worker` and
/// `itp-mr-imagine`. Each wins over its environment variable.
public struct MockupWorkerOptions: ParsableArguments, Sendable {
    @Option(setting: MockupWorkerConfiguration.templatesDirectorySetting)
    public var templatesDirectory: String?

    @Option(setting: MockupWorkerConfiguration.prefetchSetting)
    public var prefetch: String?

    @Option(setting: MockupWorkerConfiguration.shutdownGraceSetting)
    public var shutdownGrace: String?

    public init() {}

    /// Resolves the flags against `source` (the daemon's environment and config file).
    public func resolve(source: SettingsSource) throws -> MockupWorkerConfiguration {
        try MockupWorkerConfiguration.resolve(
            templatesDirectory: templatesDirectory, prefetch: prefetch, shutdownGrace: shutdownGrace, source: source)
    }
}
