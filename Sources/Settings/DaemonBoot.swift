import ArgumentParser
import Foundation

/// Boot steps every daemon's `main` shares.
public enum DaemonBoot {
    /// Resolves the settings, or prints the one bad setting to stderr and exits with
    /// ``SettingsError/exitCode`` (EX_CONFIG) so systemd does not restart a misconfigured unit.
    public static func settings(_ options: DaemonOptions, daemon: String) throws -> DaemonSettings {
        try check(daemon) { try options.resolve(daemon: daemon) }
    }

    /// The common settings and the daemon's own (`own`, resolved against the same flags,
    /// environment and file); the first bad one is printed and exits 78, as above.
    public static func settings<Own>(
        _ options: DaemonOptions, daemon: String, own: (SettingsSource) throws -> Own
    ) throws -> (DaemonSettings, Own) {
        let settings = try self.settings(options, daemon: daemon)
        return (settings, try check(daemon) { try own(settings.source) })
    }

    /// Runs a settings step; a ``SettingsError`` is printed to stderr and becomes exit code 78.
    public static func check<T>(_ daemon: String, _ step: () throws -> T) throws -> T {
        do {
            return try step()
        } catch let error as SettingsError {
            FileHandle.standardError.write(Data("\(daemon): \(error)\n".utf8))
            throw ExitCode(SettingsError.exitCode)
        }
    }

    /// The URL (or each URL of a comma-separated list) with any password replaced, for logs.
    public static func redacted(_ url: String) -> String {
        url.split(separator: ",", omittingEmptySubsequences: false).map { redactedOne(String($0)) }.joined(separator: ",")
    }

    private static func redactedOne(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@") else { return url }
        let userInfo = url[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}

extension StorageLocation {
    /// A human summary without secrets.
    public var summary: String {
        switch self {
        case .directory(let path): "file://\(path)"
        case .s3(let bucket, let prefix, let credentials): "s3://\(bucket)/\(prefix) (\(credentials))"
        }
    }
}
