/// The description of one setting: its environment variable, its flag, what it means and
/// its default. Daemons list these in `--help`, and errors name them.
public struct Setting: Sendable {
    public var environment: String
    public var flag: String
    public var help: String
    /// The documented default, or nil when the setting has none (required, or "unset" has a meaning).
    public var defaultValue: String?

    public init(_ environment: String, flag: String, help: String, default defaultValue: String? = nil) {
        self.environment = environment
        self.flag = flag
        self.help = help
        self.defaultValue = defaultValue
    }

    /// The resolved raw value: the flag's value, else the environment or file, else the default.
    public func raw(flag flagValue: String?, in source: SettingsSource) -> String? {
        if let flagValue, !flagValue.isEmpty { return flagValue }
        return source.value(environment) ?? defaultValue
    }

    public func error(_ reason: String) -> SettingsError {
        SettingsError(setting: environment, flag: flag, reason: reason)
    }
}

extension Setting {
    public static let databaseURL = Setting(
        "ITP_DATABASE_URL", flag: "database-url",
        help: "PostgreSQL: a libpq connection string or postgresql:// URL (multi-host and target_session_attrs allowed). When unset, libpq's PG* variables apply.")
    public static let amqpURL = Setting(
        "ITP_AMQP_URL", flag: "amqp-url",
        help: "RabbitMQ: amqp://user:pass@host:port/vhost (vhost percent-encoded, %2f for /), or amqps:// for TLS. A cluster: a comma-separated list of URLs, one per node, with the same user, password and vhost; each connection starts at a random node and moves to another when its node is lost.",
        default: "amqp://guest:guest@127.0.0.1:5672/%2f")
    public static let amqpCAFile = Setting(
        "ITP_AMQP_CA_FILE", flag: "amqp-ca-file",
        help: "PEM file of the certificate authorities that sign the brokers' certificates (required with amqps://; peer and host-name verification are always on, so connect by a DNS name the certificate carries).")
    public static let amqpCertFile = Setting(
        "ITP_AMQP_CERT_FILE", flag: "amqp-cert-file",
        help: "PEM client certificate for amqps:// brokers that ask for one (with ITP_AMQP_KEY_FILE).")
    public static let amqpKeyFile = Setting(
        "ITP_AMQP_KEY_FILE", flag: "amqp-key-file",
        help: "PEM private key of ITP_AMQP_CERT_FILE, unencrypted (readable by the daemon's user only).")
    public static let storageURL = Setting(
        "ITP_STORAGE_URL", flag: "storage-url",
        help: "Asset storage: file:///absolute/dir, or s3://bucket/prefix with the ITP_S3_* settings.",
        default: "file:///var/lib/itp/assets")
    public static let s3Endpoint = Setting(
        "ITP_S3_ENDPOINT", flag: "s3-endpoint", help: "S3-compatible endpoint URL (with s3:// storage).")
    public static let s3Region = Setting(
        "ITP_S3_REGION", flag: "s3-region", help: "S3 region used in the SigV4 signature.", default: "us-east-1")
    public static let s3AccessKeyID = Setting(
        "ITP_S3_ACCESS_KEY_ID", flag: "s3-access-key-id", help: "S3 access key id (with s3:// storage).")
    public static let s3SecretAccessKey = Setting(
        "ITP_S3_SECRET_ACCESS_KEY", flag: "s3-secret-access-key",
        help: "S3 secret access key (with s3:// storage). Prefer the environment or the file over the flag.")
    public static let observabilityAddress = Setting(
        "ITP_OBSERVABILITY_ADDR", flag: "observability-addr",
        help: "host:port serving /metrics, /healthz and /readyz (keep it on loopback). Unset: 127.0.0.1 on the daemon's own port (itp-intake 9464, itp-finalizer 9465, itp-design-worker 9500+ITP_INSTANCE, itp-flatlay-worker 9600+ITP_INSTANCE, itp-mr-imagine 9700+ITP_INSTANCE).")
    public static let instance = Setting(
        "ITP_INSTANCE", flag: "instance",
        help: "The instance number of a worker template unit (systemd passes %i), 1 to 99: it picks the instance's own observability port when ITP_OBSERVABILITY_ADDR is unset.")
    public static let httpAddress = Setting(
        "ITP_HTTP_ADDR", flag: "http-addr", help: "host:port the HTTP API listens on.", default: "127.0.0.1:8080")
    public static let logLevel = Setting(
        "ITP_LOG_LEVEL", flag: "log-level", help: "trace, debug, info, notice, warning, error or critical.", default: "info")
    public static let configFile = Setting(
        "ITP_CONFIG_FILE", flag: "config", help: "A KEY=VALUE file (systemd EnvironmentFile format) read for settings not in the environment.")
}
