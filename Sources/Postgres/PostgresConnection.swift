import CLibPQ
public import Logging
import Vocabulary

/// One libpq connection.
///
/// Not `Sendable`: libpq connections must not be used from two threads at once, so a
/// connection is owned by one thread (or serial queue) at a time. Async code goes through
/// ``PostgresClient``, which gives each connection its own queue. Every call blocks.
public final class PostgresConnection {
    /// `nil` once closed. Owned exclusively by this object; freed by `close()`/`deinit`.
    private var handle: OpaquePointer?
    let logger: Logger
    /// Kept alive as long as the handle: libpq holds an unretained pointer to it.
    private let noticeSink: NoticeSink
    /// Statement text → name of its prepared statement in this session.
    var preparedStatements: [String: String] = [:]
    var preparedStatementCounter = 0
    static let preparedStatementLimit = 512

    private init(handle: OpaquePointer, logger: Logger) {
        self.handle = handle
        self.logger = logger
        self.noticeSink = NoticeSink(logger: logger)
        noticeSink.install(on: handle)
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Connects with a libpq connection string, either a URL
    /// (`postgresql://user@host1:5432,host2:5432/db?target_session_attrs=read-write`) or
    /// `key=value` pairs. Unset parameters come from libpq's `PG*` environment variables
    /// (an empty string uses the environment alone). Multiple hosts are tried in order.
    ///
    /// The session is set to `client_encoding=UTF8`, `DateStyle=ISO` and `bytea_output=hex`,
    /// which the value decoders rely on. The connection string is never logged: it may
    /// hold a password.
    public static func connect(_ conninfo: String, logger: Logger? = nil) throws -> PostgresConnection {
        guard !conninfo.utf8.contains(0) else {
            throw PostgresError(code: .connectionFailed, message: "the connection string contains a NUL character")
        }
        // PQconnectdb returns nil only when it cannot allocate the connection object.
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = libpqMessage(PQerrorMessage(handle))
            PQfinish(handle)
            throw PostgresError(code: .connectionFailed, serverMessage: message)
        }
        let connection = PostgresConnection(handle: handle, logger: logger ?? Self.silentLogger)
        try connection.simpleQuery("SET client_encoding TO 'UTF8'; SET DateStyle TO 'ISO'; SET bytea_output TO 'hex'")
        connection.logger.debug(
            "connected to postgres",
            metadata: [
                LogKey.dbHost: .string(connection.host ?? ""), LogKey.dbPort: .string(connection.port ?? ""),
                LogKey.dbName: .string(connection.database ?? ""), LogKey.dbBackendPID: .stringConvertible(connection.backendProcessID),
            ])
        return connection
    }

    /// `true` while libpq considers the connection healthy (`CONNECTION_OK`). A broken
    /// connection is only noticed when it is next used.
    public var isConnected: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Closes the connection. Idempotent; later calls throw ``PostgresError/Code/connectionClosed``.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        PQfinish(handle)
    }

    /// The live handle, or the error every operation on a closed connection throws.
    func forgetPreparedStatement(_ text: String) {
        guard let name = preparedStatements.removeValue(forKey: text), let handle, !isInTransaction else { return }
        PQclear(PQexec(handle, "DEALLOCATE \(name)"))
    }

    func openHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError(code: .connectionClosed) }
        return handle
    }

    /// Used when the caller passes no logger: libraries never invent log output.
    private static let silentLogger = Logger(label: "postgres", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// libpq messages end in a newline; logs and errors are easier to read without it.
func libpqMessage(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    var message = String(cString: pointer)
    while message.last?.isNewline == true { message.removeLast() }
    return message.isEmpty ? nil : message
}
