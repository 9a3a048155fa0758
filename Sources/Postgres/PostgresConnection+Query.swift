import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PostgresConnection {
    /// Runs one statement with its interpolated values bound as parameters (`PQexecParams`,
    /// text format) and returns the whole result. The libpq result is freed before return.
    @discardableResult
    public func query(_ sql: SQL) throws -> PostgresRows {
        let handle = try openHandle()
        let text = sql.text
        let binds = sql.binds
        // libpq takes C strings: an embedded NUL would silently cut the statement or value short.
        guard !text.utf8.contains(0) else {
            throw PostgresError(code: .encoding, message: "the statement text contains a NUL character")
        }
        if let index = binds.firstIndex(where: { $0.text?.utf8.contains(0) == true }) {
            throw PostgresError(code: .encoding, message: "parameter $\(index + 1) contains a NUL character")
        }
        guard binds.count <= Int(Int16.max) * 2 + 1 else {
            throw PostgresError(code: .encoding, message: "a statement takes at most 65535 parameters")
        }
        // Copies that live until PQexecParams returns; nil entries are SQL NULL.
        let values: [UnsafeMutablePointer<CChar>?] = binds.map { bind in bind.text.flatMap { strdup($0) } }
        defer { values.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = values.map { $0.map { UnsafePointer($0) } }
        guard let name = try preparedStatement(for: text, handle: handle) else {
            return try consume(PQexecParams(handle, text, Int32(binds.count), nil, pointers, nil, nil, 0), handle: handle)
        }
        do {
            return try consume(PQexecPrepared(handle, name, Int32(binds.count), pointers, nil, nil, 0), handle: handle)
        } catch let error as PostgresError where error.invalidatesPreparedStatement {
            // The session lost the statement (DISCARD/DEALLOCATE) or its result shape changed
            // under it (DDL): prepare it anew, once. Outside a transaction nothing else ran;
            // inside one the transaction is aborted and the retry reports that instead.
            forgetPreparedStatement(text)
            guard let name = try preparedStatement(for: text, handle: handle) else { throw error }
            return try consume(PQexecPrepared(handle, name, Int32(binds.count), pointers, nil, nil, 0), handle: handle)
        }
    }

    /// The session's prepared statement for `text`, prepared on first use, so the server
    /// parses and plans each of the fleet's statements once per connection instead of at
    /// every execution. Nil once the per-connection cache is full (then the statement runs
    /// unprepared): statement texts are constants of the code, so the cap is never reached
    /// by the fleet, only by a caller building texts from data.
    private func preparedStatement(for text: String, handle: OpaquePointer) throws -> String? {
        if let name = preparedStatements[text] { return name }
        guard preparedStatements.count < Self.preparedStatementLimit else { return nil }
        let name = "itp_s\(preparedStatementCounter)"
        preparedStatementCounter += 1
        _ = try consume(PQprepare(handle, name, text, 0, nil), handle: handle)
        preparedStatements[text] = name
        return name
    }

    /// Runs a statement and returns the number of rows it affected (`PQcmdTuples`).
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try query(sql).affectedRows
    }

    /// Runs one or more `;`-separated statements without parameters (`PQexec`), as
    /// migrations need. Never build `text` from input; use ``query(_:)`` for anything variable.
    public func simpleQuery(_ text: String) throws {
        let handle = try openHandle()
        guard !text.utf8.contains(0) else {
            throw PostgresError(code: .encoding, message: "the statement text contains a NUL character")
        }
        _ = try consume(PQexec(handle, text), handle: handle)
    }
}
