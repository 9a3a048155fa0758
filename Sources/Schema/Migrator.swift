public import Logging
public import Postgres
import Vocabulary

/// Applies `migrations/*.sql` in version order, each file in its own transaction, all of it
/// under one session advisory lock so that concurrent `itp-admin migrate` runs (several
/// hosts deploying at once) apply each file exactly once.
public struct Migrator: Sendable {
    /// `pg_advisory_lock` key shared by every migrator of every schema in the database
    /// ("ITP_MIGR" in ASCII).
    public static let advisoryLockKey: Int64 = 0x4954_505F_4D49_4752

    public var files: [MigrationFile]
    public var logger: Logger

    public init(files: [MigrationFile], logger: Logger) {
        self.files = files
        self.logger = logger
    }

    /// Applies every pending file and returns what it did. Applying twice is a no-op.
    public func migrate(on connection: PostgresConnection) throws -> MigrationReport {
        try connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey)::bigint)")
        defer {
            // A lost connection releases the lock by itself; nothing more to do then.
            _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey)::bigint)")
        }
        try connection.simpleQuery(Self.createLedgerTable)

        let applied = try appliedMigrations(on: connection)
        try verify(applied: applied, on: connection)

        var report = MigrationReport()
        report.alreadyApplied = files.filter { applied[$0.version] != nil }.map(\.name)
        for file in files where applied[file.version] == nil {
            let clock = ContinuousClock()
            let started = clock.now
            let count = try apply(file, on: connection)
            let elapsed = clock.now - started
            report.applied.append(.init(name: file.name, statements: count, duration: elapsed))
            logger.info("applied migration", metadata: [
                LogKey.migrationFile: "\(file.name)", LogKey.migrationStatements: "\(count)",
            ])
        }
        return report
    }

    /// Each known file with whether (and when) it was applied.
    public func status(on connection: PostgresConnection) throws -> [(file: MigrationFile, applied: Bool)] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")
        let hasTable = try exists.first?.decode(Bool.self) ?? false
        let applied = hasTable ? try appliedMigrations(on: connection) : [:]
        return files.map { ($0, applied[$0.version] != nil) }
    }

    static let createLedgerTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     int PRIMARY KEY,
            name        text NOT NULL,
            checksum    bytea NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """

    private struct Applied {
        var name: String
        var checksumHex: String
    }

    private func appliedMigrations(on connection: PostgresConnection) throws -> [Int: Applied] {
        var applied: [Int: Applied] = [:]
        for row in try connection.query("SELECT version, name, encode(checksum, 'hex') FROM schema_migrations") {
            let (version, name, checksumHex) = try row.decode((Int, String, String).self)
            applied[version] = Applied(name: name, checksumHex: checksumHex)
        }
        return applied
    }

    /// Refuses to go on when the database holds a version this build does not know (a newer
    /// release migrated it) or when an applied file was edited afterwards: both mean the
    /// schema is not what this code expects.
    private func verify(applied: [Int: Applied], on connection: PostgresConnection) throws {
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            guard let file = files.first(where: { $0.version == version }) else {
                throw MigrationError(
                    .unknownVersionApplied,
                    "the database has migration \(record.name) (version \(version)) that this build does not ship; deploy the newer release instead")
            }
            let rows = try connection.query("SELECT encode(sha256(convert_to(\(file.sql), 'UTF8')), 'hex')")
            let checksum = try rows.first?.decode(String.self) ?? ""
            if checksum != record.checksumHex {
                throw MigrationError(
                    .changedAfterApply,
                    "migration \(file.name) was changed after it was applied; add a new migration file instead of editing an applied one")
            }
        }
    }

    private func apply(_ file: MigrationFile, on connection: PostgresConnection) throws -> Int {
        let statements = SQLScript(file.sql).statements
        try connection.simpleQuery("BEGIN")
        for (index, statement) in statements.enumerated() {
            do {
                try connection.simpleQuery(statement.text)
            } catch {
                try? connection.simpleQuery("ROLLBACK")
                throw MigrationError.statementFailed(file: file.name, number: index + 1, statement: statement, cause: error)
            }
        }
        do {
            try connection.execute("""
                INSERT INTO schema_migrations (version, name, checksum)
                VALUES (\(file.version), \(file.name), sha256(convert_to(\(file.sql), 'UTF8')))
                """)
            try connection.simpleQuery("COMMIT")
        } catch {
            try? connection.simpleQuery("ROLLBACK")
            throw error
        }
        return statements.count
    }
}

extension MigrationError {
    static func statementFailed(file: String, number: Int, statement: SQLScript.Statement, cause: any Error) -> MigrationError {
        let firstLine = statement.text.split(separator: "\n").first { line in
            let trimmed = line.drop { $0 == " " }
            return !trimmed.isEmpty && !trimmed.hasPrefix("--")
        }.map(String.init) ?? statement.text
        var reason = String(describing: cause)
        var sqlState: String?
        if let postgres = cause as? PostgresError {
            reason = postgres.serverMessage ?? postgres.description
            sqlState = postgres.sqlState
        }
        var error = MigrationError(
            .statementFailed,
            "migration \(file) failed at statement \(number) (line \(statement.line): \(firstLine.prefix(120))): \(reason)"
                + (sqlState.map { " [SQLSTATE \($0)]" } ?? "") + "; the file was rolled back")
        error.file = file
        error.statementNumber = number
        error.line = statement.line
        error.sqlState = sqlState
        return error
    }
}
