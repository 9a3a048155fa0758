import Postgres
import Testing

/// Server and decoding failures carry what a log needs and a client must not see.
@Suite struct QueryErrorTests {
    @Test func uniqueViolationSurfacesSQLStateAndConstraint() throws {
        try ScratchSchema.with { connection, scratch in
            try connection.execute("CREATE TABLE users (id int PRIMARY KEY, email text CONSTRAINT users_email_key UNIQUE)")
            try connection.execute("INSERT INTO users VALUES (1, \("alice@example.com"))")
            let error = try #require(throws: PostgresError.self) {
                try connection.execute("INSERT INTO users VALUES (2, \("alice@example.com"))")
            }
            #expect(error.code == .server)
            #expect(error.sqlState == "23505")
            #expect(error.constraint == "users_email_key")
            #expect(error.table == "users")
            #expect(error.schema == scratch.name)
            #expect(error.serverMessage?.contains("duplicate key") == true)
            #expect(error.detail?.contains("alice@example.com") == true)
            #expect(error.description == "database error (SQLSTATE 23505)")
            #expect(!error.isRetryableTransactionFailure)
            // The connection is still usable after a statement error.
            #expect(try connection.query("SELECT count(*) FROM users")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func syntaxErrorReportsPosition() throws {
        try ScratchSchema.with { connection, _ in
            let error = try #require(throws: PostgresError.self) { try connection.query("SELECT 1 FROMM nowhere") }
            #expect(error.sqlState == "42601")
            #expect(error.position != nil)
        }
    }

    @Test func wrongTypeNamesTheColumn() throws {
        try ScratchSchema.with { connection, _ in
            let row = try connection.query("SELECT 'not a number'::text AS quantity")[0]
            let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "quantity") }
            #expect(error.code == .decoding)
            #expect(error.column == "quantity")
            #expect(error.description.contains("\"quantity\""))
            #expect(error.description.contains("column type text, Swift type Int"))
            #expect(!error.description.contains("not a number"))
        }
    }

    @Test func nullIntoNonOptionalNamesTheColumn() throws {
        try ScratchSchema.with { connection, _ in
            let row = try connection.query("SELECT NULL::int4 AS width")[0]
            let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, at: 0) }
            #expect(error.code == .decoding)
            #expect(error.column == "width")
            #expect(error.description.contains("\"width\""))
            #expect(error.description.contains("NULL"))
        }
    }

    @Test func unknownColumnIsADecodingError() throws {
        try ScratchSchema.with { connection, _ in
            let row = try connection.query("SELECT 1 AS one")[0]
            let byName = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "two") }
            #expect(byName.code == .decoding && byName.column == "two")
            let byIndex = try #require(throws: PostgresError.self) { try row.decode(Int.self, at: 3) }
            #expect(byIndex.code == .decoding)
        }
    }

    @Test func copyIsRefusedAndTheConnectionStaysUsable() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE c (x int)")
            let error = try #require(throws: PostgresError.self) { try connection.simpleQuery("COPY c FROM STDIN") }
            #expect(error.code == .unsupported)
            let out = try #require(throws: PostgresError.self) { try connection.simpleQuery("COPY (SELECT 1) TO STDOUT") }
            #expect(out.code == .unsupported)
            #expect(try connection.query("SELECT count(*) FROM c")[0].decode(Int.self, at: 0) == 0)
        }
    }
}
