import CLibPQ
import Logging
import Vocabulary

/// Receives the server's notices and warnings (`RAISE NOTICE`, "… does not exist,
/// skipping"). libpq's default prints them to stderr, which would bypass structured logs.
final class NoticeSink {
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// The connection keeps this object alive for as long as the handle exists, so the
    /// unretained pointer given to libpq stays valid.
    func install(on handle: OpaquePointer) {
        PQsetNoticeReceiver(
            handle,
            { context, result in
                guard let context, let result else { return }
                Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue().receive(result)
            },
            Unmanaged.passUnretained(self).toOpaque())
    }

    private func receive(_ result: OpaquePointer) {
        let severity = libpqMessage(PQresultErrorField(result, DiagnosticField.severityNonLocalized)) ?? "NOTICE"
        let level: Logger.Level = severity == "WARNING" ? .warning : .debug
        logger.log(
            level: level, "postgres server notice",
            metadata: [
                LogKey.dbSeverity: .string(severity),
                LogKey.dbSQLState: .string(libpqMessage(PQresultErrorField(result, DiagnosticField.sqlState)) ?? ""),
                LogKey.dbMessage: .string(libpqMessage(PQresultErrorField(result, DiagnosticField.messagePrimary)) ?? ""),
            ])
    }
}
