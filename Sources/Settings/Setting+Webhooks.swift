/// Storefront webhooks: `itp-webhook-worker` sends them; `itp-intake` checks the endpoints
/// shops register against the same destination rule.
extension Setting {
    public static let webhookAllowedAddresses = Setting(
        "ITP_WEBHOOK_ALLOWED_ADDRESSES", flag: "webhook-allowed-addresses",
        help: "Address kinds webhook endpoints may resolve to besides public ones: a comma-separated list of loopback, private, link-local (link-local includes the cloud metadata address 169.254.169.254). Empty (the default): public addresses only. Read by itp-intake (registration) and itp-webhook-worker (every delivery): set it once for both.",
        default: "")
    public static let webhookPrefetch = Setting(
        "ITP_WEBHOOK_PREFETCH", flag: "prefetch",
        help: "Deliveries in flight at once per itp-webhook-worker (1 to 256): a receiver that hangs holds one of them for at most the timeout.",
        default: "16")
    public static let webhookTimeout = Setting(
        "ITP_WEBHOOK_TIMEOUT_SECONDS", flag: "webhook-timeout",
        help: "Seconds a receiver has to answer one delivery (connect included, 1 to 60); a timeout is retried.",
        default: "10")
    public static let webhookShutdownGrace = Setting(
        "ITP_WEBHOOK_SHUTDOWN_GRACE_SECONDS", flag: "shutdown-grace",
        help: "Seconds to finish in-flight deliveries after SIGTERM (keep it below the unit's TimeoutStopSec).",
        default: "20")
}
