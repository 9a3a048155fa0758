/// The one error type of the `Postgres` module.
///
/// `description` is deliberately generic — it never contains SQL, bound values or the
/// server's message, so it is safe to surface (for example in an HTTP 500 log line that
/// might be echoed). `debugDescription` carries everything and is meant for logs.
public struct PostgresError: Error, Sendable {
    /// What kind of failure this is. Extensible: new codes are new static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case connectionFailed, connectionLost, connectionClosed, server, decoding, encoding
            case protocolViolation, unsupported, transactionAborted, invalidUsage, clientShutdown
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No connection could be established (every host was tried).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection broke while in use; reconnect.
        public static let connectionLost = Code(.connectionLost)
        /// The connection was closed by ``PostgresConnection/close()`` before this call.
        public static let connectionClosed = Code(.connectionClosed)
        /// The server rejected a statement; see ``PostgresError/sqlState``.
        public static let server = Code(.server)
        /// A result value could not be decoded into the requested Swift type.
        public static let decoding = Code(.decoding)
        /// A value could not be sent (for example text containing a NUL character).
        public static let encoding = Code(.encoding)
        /// libpq or the server answered something this wrapper did not expect.
        public static let protocolViolation = Code(.protocolViolation)
        /// The statement needs a protocol feature this wrapper does not offer (COPY).
        public static let unsupported = Code(.unsupported)
        /// `COMMIT` was reached in a transaction that had already failed, so nothing was committed.
        public static let transactionAborted = Code(.transactionAborted)
        /// The API was used in a way it does not support (for example nested `transaction`).
        public static let invalidUsage = Code(.invalidUsage)
        /// ``PostgresClient/shutdown()`` was called.
        public static let clientShutdown = Code(.clientShutdown)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The five-character SQLSTATE reported by the server (`PG_DIAG_SQLSTATE`), if any.
    public var sqlState: String?
    /// The server's primary message, or libpq's error message for client-side failures.
    public var serverMessage: String?
    public var detail: String?
    public var hint: String?
    public var schema: String?
    public var table: String?
    public var column: String?
    public var constraint: String?
    /// 1-based character position of the error in the statement text.
    public var position: Int?
    /// A client-side explanation (decoding, encoding, misuse). Holds no row data.
    public var message: String?

    public init(
        code: Code, sqlState: String? = nil, serverMessage: String? = nil, detail: String? = nil,
        hint: String? = nil, schema: String? = nil, table: String? = nil, column: String? = nil,
        constraint: String? = nil, position: Int? = nil, message: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.serverMessage = serverMessage
        self.detail = detail
        self.hint = hint
        self.schema = schema
        self.table = table
        self.column = column
        self.constraint = constraint
        self.position = position
        self.message = message
    }
}
