import DesignProviders
import Settings

/// The design worker's own settings (each also a flag; flags win). The provider settings
/// are the names `ProviderConfiguration` reads, listed here so `--help` names them.
/// `ITP_DESIGN_CANDIDATES_MAX` is shared with the intake: `Setting.designCandidatesMax`
/// in the Settings module.
extension Setting {
    static let designPrefetch = Setting(
        "ITP_DESIGN_PREFETCH", flag: "prefetch",
        help: "Design jobs in flight at most (AMQP prefetch). Each holds ~400 MB at its peak and a core while it renders.",
        default: "2")
    static let designMaxImageEdge = Setting(
        "ITP_DESIGN_MAX_IMAGE_EDGE", flag: "design-max-image-edge",
        help: "Widest or tallest provider image accepted, in pixels, checked before decoding.", default: "8192")
    static let designMaxImagePixels = Setting(
        "ITP_DESIGN_MAX_IMAGE_PIXELS", flag: "design-max-image-pixels",
        help: "Most pixels (width × height) a provider image may have, checked before decoding.", default: "25000000")
    static let designMaxAttempts = Setting(
        "ITP_DESIGN_MAX_ATTEMPTS", flag: "max-attempts",
        help: "Attempts before a transiently failing design job is dead-lettered.", default: "5")
    static let designSpoolDir = Setting(
        "ITP_DESIGN_SPOOL_DIR", flag: "spool-dir",
        help: "Directory keeping the provider's images of a design job until it succeeds or dies, so a retry (after a storage failure) does not pay for them again; empty keeps nothing. Per host: a retry on another host calls the provider again.",
        default: "/var/lib/itp/spool")
    static let designShutdownGrace = Setting(
        "ITP_DESIGN_SHUTDOWN_GRACE_SECONDS", flag: "shutdown-grace",
        help: "Seconds to finish in-flight jobs after SIGTERM; keep below the unit's TimeoutStopSec.", default: "60")

    static let imageProvider = Setting(
        ProviderConfiguration.Setting.provider, flag: "image-provider",
        help: "Image provider: builtin (offline, deterministic), openai-images or gemini.", default: "builtin")
    static let imageAPIBaseURL = Setting(
        ProviderConfiguration.Setting.baseURL, flag: "image-api-base-url",
        help: "Base URL of the image API (required for openai-images and gemini).")
    static let imageAPIKey = Setting(
        ProviderConfiguration.Setting.apiKey, flag: "image-api-key",
        help: "API key of the image API (required for HTTP providers). Prefer the environment or the file over the flag.")
    static let imageModel = Setting(
        ProviderConfiguration.Setting.model, flag: "image-model", help: "Model name; default depends on the provider.")
    static let imageSize = Setting(
        ProviderConfiguration.Setting.imageSize, flag: "image-size",
        help: "Square edge in pixels asked of the provider (64 to 4096).", default: "1024")
    static let providerTimeout = Setting(
        ProviderConfiguration.Setting.timeout, flag: "provider-timeout-seconds",
        help: "Time allowed for one provider call, connect included.", default: "120")

    static let providerCallsPerMinute = Setting(
        "ITP_PROVIDER_CALLS_PER_MINUTE", flag: "provider-calls-per-minute",
        help: "Most calls per minute the whole fleet makes to the image provider account (shared through Postgres by every design worker, evenly spaced); empty: no limit of our own. A 429's Retry-After pauses every worker either way. Unused by builtin.",
        default: "")

    /// Every design-worker setting, for `--help`.
    static let designWorkerSettings: [Setting] = [
        .imageProvider, .imageAPIBaseURL, .imageAPIKey, .imageModel, .imageSize, .providerTimeout, .providerCallsPerMinute,
        .designCandidatesMax, .designPrefetch, .designMaxImageEdge, .designMaxImagePixels, .designMaxAttempts,
        .designSpoolDir, .designShutdownGrace,
    ]
}
