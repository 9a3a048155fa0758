/// A setting that cannot be used. The description names the setting (its environment
/// variable and flag) and what was wrong, so the daemon can stop at boot with one clear line.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public var setting: String
    public var flag: String?
    public var reason: String

    public init(setting: String, flag: String? = nil, reason: String) {
        self.setting = setting
        self.flag = flag
        self.reason = reason
    }

    public var description: String {
        "invalid setting \(setting)\(flag.map { " (--\($0))" } ?? ""): \(reason)"
    }

    /// sysexits' EX_CONFIG: systemd units list it in RestartPreventExitStatus so a bad
    /// configuration is not restarted in a loop.
    public static let exitCode: Int32 = 78
}
