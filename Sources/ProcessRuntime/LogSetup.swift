public import Logging
public import Settings

/// Bootstraps swift-log for a daemon: logfmt lines on standard output (journald adds the
/// unit, the PID and its own timestamp). Only `@main` calls it, once, before creating loggers.
public enum LogSetup {
    /// Installs ``LogfmtLogHandler`` for every logger at `level` (an `ITP_LOG_LEVEL` string:
    /// trace, debug, info, notice, warning, error or critical) and returns the process
    /// logger, labelled `label` (the executable's name).
    ///
    /// - Throws: a ``SettingsError`` naming `ITP_LOG_LEVEL` when `level` is not a level.
    /// - Important: `LoggingSystem.bootstrap` may run only once per process.
    public static func bootstrap(level: String, label: String) throws(SettingsError) -> Logger {
        let parsed = try self.level(level)
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: parsed) }
        return Logger(label: label)
    }

    /// Parses an `ITP_LOG_LEVEL` value.
    public static func level(_ text: String) throws(SettingsError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw Setting.logLevel.error(
                "expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        return level
    }
}
