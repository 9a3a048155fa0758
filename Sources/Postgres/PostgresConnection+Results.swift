import CLibPQ

extension PostgresConnection {
    /// Turns a libpq result into rows or an error, and frees it on every path.
    func consume(_ result: OpaquePointer?, handle: OpaquePointer) throws -> PostgresRows {
        guard let result else {
            // No result at all: libpq could not send the statement or ran out of memory.
            throw PostgresError(
                code: PQstatus(handle) == CONNECTION_OK ? .protocolViolation : .connectionLost,
                serverMessage: libpqMessage(PQerrorMessage(handle)))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Self.materialize(result)
        case PGRES_FATAL_ERROR:
            throw Self.error(from: result, connectionOK: PQstatus(handle) == CONNECTION_OK)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abortCopy(handle)
            throw PostgresError(code: .unsupported, message: "COPY is not supported")
        default:
            let status = libpqMessage(PQresStatus(PQresultStatus(result))) ?? "unknown"
            throw PostgresError(code: .protocolViolation, message: "unexpected result status \(status)")
        }
    }

    /// Ends a COPY the caller started by mistake so the connection is usable again; if
    /// that fails the connection is closed rather than left in an unknown state.
    private func abortCopy(_ handle: OpaquePointer) {
        var buffer: UnsafeMutablePointer<CChar>?
        // COPY OUT: read and discard the data (-1 = done, -2 = error).
        while PQgetCopyData(handle, &buffer, 0) > 0 {
            PQfreemem(buffer)
            buffer = nil
        }
        // COPY IN: end it with an error so the server rolls the COPY back. Harmless otherwise.
        _ = PQputCopyEnd(handle, "COPY is not supported by this client")
        var remaining = 0
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            remaining += 1
            // Still in COPY (COPY BOTH, or a COPY that would not end): give up on this connection.
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH || remaining > 100 {
                close()
                return
            }
        }
    }

    static func materialize(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let names = (0..<columnCount).map { libpqName(PQfname(result, Int32($0))) }
        let types = (0..<columnCount).map { UInt32(PQftype(result, Int32($0))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let bytes = UnsafeRawBufferPointer(
                        start: PQgetvalue(result, row, column), count: Int(PQgetlength(result, row, column)))
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            rows.append(values)
        }
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return PostgresRows(
            metadata: ColumnMetadata(names: names, typeOIDs: types), values: rows, affectedRows: affected,
            commandTag: tag)
    }

    /// A ``PostgresError`` with every diagnostic field the server sent.
    static func error(from result: OpaquePointer, connectionOK: Bool) -> PostgresError {
        func field(_ code: Int32) -> String? { libpqMessage(PQresultErrorField(result, code)) }
        let sqlState = field(DiagnosticField.sqlState)
        return PostgresError(
            // A FATAL that closed the session (admin shutdown, terminated backend) is a lost
            // connection for the caller, whatever its SQLSTATE. No SQLSTATE on a live
            // connection means libpq itself refused the call.
            code: !connectionOK ? .connectionLost : sqlState == nil ? .protocolViolation : .server,
            sqlState: sqlState,
            serverMessage: field(DiagnosticField.messagePrimary) ?? libpqMessage(PQresultErrorMessage(result)),
            detail: field(DiagnosticField.messageDetail),
            hint: field(DiagnosticField.messageHint),
            schema: field(DiagnosticField.schemaName),
            table: field(DiagnosticField.tableName),
            column: field(DiagnosticField.columnName),
            constraint: field(DiagnosticField.constraintName),
            position: field(DiagnosticField.statementPosition).flatMap { Int($0) })
    }

    private static func libpqName(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}
