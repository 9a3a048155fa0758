import ArgumentParser
import AssetImages
import Webhooks
import Intake
import Settings

/// The intake's settings beyond the common ones: each a flag, an `ITP_*` variable and a
/// documented default, validated at boot (a bad one stops the daemon naming it).
struct IntakeOptions: ParsableArguments {
    static let templatesDirectory = Setting(
        "ITP_TEMPLATES_DIR", flag: "templates-dir",
        help: "The template catalogue (manifest.json) whose product types and colours the API accepts.",
        default: "templates")
    static let rateLimitBurst = Setting(
        "ITP_RATE_LIMIT_BURST", flag: "rate-limit-burst", help: "Requests an API key may make at once (token bucket size).",
        default: "60")
    static let rateLimitPerSecond = Setting(
        "ITP_RATE_LIMIT_PER_SECOND", flag: "rate-limit-per-second", help: "Sustained requests per second per API key.",
        default: "10")

    /// For `--help`.
    static let settings: [Setting] = [
        .httpAddress, templatesDirectory, rateLimitBurst, rateLimitPerSecond, .designCandidatesMax, .priceCreate, .priceRegenerate,
        .priceLibrary, .imageURLSecret, .imageURLPreviousSecret, .imageURLTTL, .publicBaseURL, .webhookAllowedAddresses,
    ]

    @Option(setting: .httpAddress)
    var httpAddress: String?

    @Option(setting: templatesDirectory)
    var templatesDir: String?

    @Option(setting: rateLimitBurst)
    var burst: String?

    @Option(setting: rateLimitPerSecond)
    var perSecond: String?

    @Option(setting: .designCandidatesMax)
    var candidatesMax: String?

    @Option(setting: .priceCreate)
    var priceCreate: String?

    @Option(setting: .priceRegenerate)
    var priceRegenerate: String?

    @Option(setting: .priceLibrary)
    var priceLibrary: String?

    @Option(setting: .imageURLSecret)
    var imageURLSecret: String?

    @Option(setting: .imageURLPreviousSecret)
    var imageURLSecretPrevious: String?

    @Option(setting: .imageURLTTL)
    var imageURLTTL: String?

    @Option(setting: .publicBaseURL)
    var publicBaseURL: String?

    @Option(setting: .webhookAllowedAddresses)
    var webhookAllowedAddresses: String?

    struct Resolved {
        var address: HostPort
        var templatesDirectory: String
        var rateLimit: RateLimit
        var maxCandidates: Int
        var prices: IntakeConfiguration.Prices
        /// `ephemeral` when no secret is set: the daemon signs with a random one and says so.
        var imageURLs: (signer: ImageURLSigner, ephemeral: Bool)
        var webhookDestinations: DestinationPolicy
    }

    func resolve(_ source: SettingsSource) throws -> Resolved {
        let address = try HostPort(parsing: Setting.httpAddress.raw(flag: httpAddress, in: source) ?? "", setting: .httpAddress)
        let burst = try Self.rateLimitBurst.number(flag: burst, in: source, range: 1.0...100_000)
        let perSecond = try Self.rateLimitPerSecond.number(flag: perSecond, in: source, range: 0.001...100_000)
        let maxCandidates = try Setting.designCandidatesMax.number(
            flag: candidatesMax, in: source, range: 1...ProductFlowDefaults.candidatesHardLimit)
        let prices = IntakeConfiguration.Prices(
            create: try Setting.priceCreate.number(flag: priceCreate, in: source, range: 1...ProductFlowDefaults.priceLimit),
            regenerate: try Setting.priceRegenerate.number(flag: priceRegenerate, in: source, range: 1...ProductFlowDefaults.priceLimit),
            library: try Setting.priceLibrary.number(flag: priceLibrary, in: source, range: 0...ProductFlowDefaults.priceLimit))
        let imageURLs = try ImageURLSigner.resolve(
            secret: imageURLSecret, previousSecret: imageURLSecretPrevious, ttl: imageURLTTL, baseURL: publicBaseURL, in: source)
        guard let webhookDestinations = DestinationPolicy(setting: Setting.webhookAllowedAddresses.raw(flag: webhookAllowedAddresses, in: source) ?? "") else {
            throw Setting.webhookAllowedAddresses.error("must be a comma-separated list of loopback, private, link-local (or empty)")
        }
        return Resolved(
            address: address, templatesDirectory: Self.templatesDirectory.raw(flag: templatesDir, in: source) ?? "templates",
            rateLimit: RateLimit(burst: burst, perSecond: perSecond), maxCandidates: maxCandidates, prices: prices,
            imageURLs: imageURLs, webhookDestinations: webhookDestinations)
    }

}
