import Logging

/// itp-admin's own logger: warnings and worse, on stderr, so stdout stays the command's
/// output (tables or `--json`).
enum AdminLog {
    static func logger(_ label: String = "itp-admin", level: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return logger
    }

    /// For broker connections: a passive declare of a missing queue closes its channel,
    /// which the AMQP client reports as a warning; the commands report it themselves.
    static var broker: Logger { logger(level: .error) }
}
