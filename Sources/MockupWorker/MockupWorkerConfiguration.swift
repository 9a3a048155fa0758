public import Settings

/// The settings of a mockup worker beyond the common ones (DESIGN.md §7): read once in
/// `main` from flags, the environment or the config file, validated at boot.
public struct MockupWorkerConfiguration: Sendable, Equatable {
    public static let templatesDirectorySetting = Setting(
        "ITP_TEMPLATES_DIR", flag: "templates-dir",
        help: "The mockup template catalogue: a directory with manifest.json and the images it names. Relative paths are relative to the working directory.",
        default: "templates")
    public static let prefetchSetting = Setting(
        "ITP_MOCKUP_PREFETCH", flag: "prefetch",
        help: "Jobs in flight at most (AMQP prefetch), 1–64. Each render holds a decoded template and uses one core; scale with more instances rather than more prefetch.",
        default: "1")
    public static let shutdownGraceSetting = Setting(
        "ITP_MOCKUP_SHUTDOWN_GRACE_SECONDS", flag: "shutdown-grace",
        help: "Seconds to finish in-flight jobs after SIGTERM before returning them to the queue; keep it below the unit's TimeoutStopSec.",
        default: "30")

    /// For `--help`.
    public static let settings = [templatesDirectorySetting, prefetchSetting, shutdownGraceSetting]

    public var templatesDirectory: String
    public var prefetch: Int
    public var shutdownGrace: Duration

    public init(templatesDirectory: String, prefetch: Int = 1, shutdownGrace: Duration = .seconds(30)) {
        self.templatesDirectory = templatesDirectory
        self.prefetch = prefetch
        self.shutdownGrace = shutdownGrace
    }

    /// Resolves each setting (flag, else environment or file, else default).
    /// - Throws: ``SettingsError`` naming the first bad setting.
    public static func resolve(
        templatesDirectory: String?, prefetch: String?, shutdownGrace: String?, source: SettingsSource
    ) throws -> MockupWorkerConfiguration {
        let directory = templatesDirectorySetting.raw(flag: templatesDirectory, in: source) ?? "templates"
        let prefetchValue = try prefetchSetting.number(flag: prefetch, in: source, range: 1...64)
        let grace = try shutdownGraceSetting.number(flag: shutdownGrace, in: source, range: 1...3600)
        return MockupWorkerConfiguration(templatesDirectory: directory, prefetch: prefetchValue, shutdownGrace: .seconds(grace))
    }

}
