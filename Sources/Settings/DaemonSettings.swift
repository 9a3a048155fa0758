/// Validated settings shared by every daemon. Built once in `main`, then passed down.
public struct DaemonSettings: Sendable {
    /// libpq connection string or URL; empty means "libpq's PG* variables".
    public var databaseURL: String
    /// One URL or a comma-separated list (a cluster's nodes).
    public var amqpURL: String
    /// The certificate files for `amqps://` (checked to exist and be readable).
    public var amqpTLS: BrokerTLSFiles
    public var storage: StorageLocation
    public var observabilityAddress: HostPort
    public var logLevel: String
    /// Where the values came from, for component settings read later (ITP_* specific to one daemon).
    public var source: SettingsSource

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The settings section of a daemon's `--help` discussion.
    public static func helpSection(_ extra: [Setting] = []) -> String {
        let common: [Setting] = [
            .databaseURL, .amqpURL, .amqpCAFile, .amqpCertFile, .amqpKeyFile, .storageURL, .s3Endpoint, .s3Region, .s3AccessKeyID, .s3SecretAccessKey,
            .observabilityAddress, .instance, .logLevel, .configFile,
        ]
        let lines = (common + extra).map { setting in
            "  \(setting.environment) (--\(setting.flag))" + (setting.defaultValue.map { ", default \($0)" } ?? "")
        }
        return """
            Settings are read from flags, then the environment, then the --config file; flags win.
            libpq's own PG* variables apply when ITP_DATABASE_URL is unset.
            \(lines.joined(separator: "\n"))
            """
    }
}
