import Logging

/// itp-admin's own logger: warnings and worse, on stderr, so stdout stays the command's
/// output (tables or `--json`).
enum AdminLog {
    static func logger(_ label: String = "itp-admin") -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        return logger
    }
}
