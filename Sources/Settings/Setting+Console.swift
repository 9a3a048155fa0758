/// The operator console (`itp-admin console`): its own listener, never the shop-facing port.
extension Setting {
    public static let consoleAddress = Setting(
        "ITP_CONSOLE_ADDR", flag: "console-addr",
        help: "host:port the operator console listens on (keep it on loopback and reach it through an SSH tunnel or a TLS proxy).",
        default: "127.0.0.1:8090")
}

extension Setting {
    public static let consolePageSize = Setting(
        "ITP_CONSOLE_PAGE_SIZE", flag: "page-size", help: "Rows per page of the console's lists (2 to 500).", default: "50")
}
