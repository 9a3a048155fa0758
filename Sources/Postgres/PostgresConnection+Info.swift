import CLibPQ

extension PostgresConnection {
    /// The host actually connected to (useful with multi-host connection strings).
    public var host: String? { withOpenHandle { libpqMessage(PQhost($0)) } }
    /// The port actually connected to.
    public var port: String? { withOpenHandle { libpqMessage(PQport($0)) } }
    /// The database name.
    public var database: String? { withOpenHandle { libpqMessage(PQdb($0)) } }
    /// The user name.
    public var user: String? { withOpenHandle { libpqMessage(PQuser($0)) } }
    /// The server process serving this connection (`pg_backend_pid()`), 0 when closed.
    public var backendProcessID: Int32 { withOpenHandle { PQbackendPID($0) } ?? 0 }
    /// The server version as an integer, e.g. `150004`; 0 when closed.
    public var serverVersion: Int { withOpenHandle { Int(PQserverVersion($0)) } ?? 0 }

    /// `true` between `BEGIN` and `COMMIT`/`ROLLBACK`, also when the transaction has failed.
    public var isInTransaction: Bool {
        let status = transactionStatus
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    var transactionStatus: PGTransactionStatusType {
        withOpenHandle { PQtransactionStatus($0) } ?? PQTRANS_UNKNOWN
    }

    private func withOpenHandle<T>(_ body: (OpaquePointer) -> T?) -> T? {
        guard let handle = try? openHandle() else { return nil }
        return body(handle)
    }
}

extension PostgresConnection {
    /// Reads whatever the server sent while the connection was idle, without blocking,
    /// and reports whether the connection is still usable. A server restart or a
    /// terminated backend shows up here instead of on the caller's next statement.
    func probe() -> Bool {
        guard let handle = try? openHandle(), PQstatus(handle) == CONNECTION_OK else { return false }
        return PQconsumeInput(handle) == 1 && PQstatus(handle) == CONNECTION_OK
    }
}
