import ArgumentParser
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
    ]

    @Option(name: .customLong("http-addr"), help: .setting(.httpAddress))
    var httpAddress: String?

    @Option(name: .customLong("templates-dir"), help: .setting(templatesDirectory))
    var templatesDir: String?

    @Option(name: .customLong("rate-limit-burst"), help: .setting(rateLimitBurst))
    var burst: String?

    @Option(name: .customLong("rate-limit-per-second"), help: .setting(rateLimitPerSecond))
    var perSecond: String?

    @Option(name: .customLong("design-candidates-max"), help: .setting(.designCandidatesMax))
    var candidatesMax: String?

    @Option(name: .customLong("price-create"), help: .setting(.priceCreate))
    var priceCreate: String?

    @Option(name: .customLong("price-regenerate"), help: .setting(.priceRegenerate))
    var priceRegenerate: String?

    struct Resolved {
        var address: HostPort
        var templatesDirectory: String
        var rateLimit: RateLimit
        var maxCandidates: Int
        var prices: IntakeConfiguration.Prices
    }

    func resolve(_ source: SettingsSource) throws -> Resolved {
        let address = try HostPort(parsing: Setting.httpAddress.raw(flag: httpAddress, in: source) ?? "", setting: .httpAddress)
        let burst = try Self.number(Self.rateLimitBurst, burst, source, range: 1...100_000)
        let perSecond = try Self.number(Self.rateLimitPerSecond, perSecond, source, range: 0.001...100_000)
        let maxCandidates = try Setting.designCandidatesMax.integer(
            flag: candidatesMax, in: source, range: 1...ProductFlowDefaults.candidatesHardLimit)
        let prices = IntakeConfiguration.Prices(
            create: try Setting.priceCreate.integer(flag: priceCreate, in: source, range: 1...ProductFlowDefaults.priceLimit),
            regenerate: try Setting.priceRegenerate.integer(flag: priceRegenerate, in: source, range: 1...ProductFlowDefaults.priceLimit))
        return Resolved(
            address: address, templatesDirectory: Self.templatesDirectory.raw(flag: templatesDir, in: source) ?? "templates",
            rateLimit: RateLimit(burst: burst, perSecond: perSecond), maxCandidates: maxCandidates, prices: prices)
    }

    private static func number(_ setting: Setting, _ flag: String?, _ source: SettingsSource, range: ClosedRange<Double>) throws -> Double {
        let text = setting.raw(flag: flag, in: source) ?? ""
        guard let value = Double(text), range.contains(value) else {
            throw setting.error("expected a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }
}
