/// A provider setting that cannot be used. The daemon stops at boot with this message,
/// which names the setting and never repeats a secret value.
public struct ProviderConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable at fault, e.g. `ITP_IMAGE_API_KEY`.
    public var setting: String
    /// What is wrong with it.
    public var reason: String

    public init(setting: String, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "\(setting): \(reason)" }
}
