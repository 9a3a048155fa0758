import FleetTesting
import Postgres
import Testing

/// Statements are prepared once per connection; the cache must never make a statement
/// fail that would have run unprepared.
@Suite struct PreparedStatementTests {
    @Test func aStatementRunsPreparedOnTheSecondUse() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE items (id int4 PRIMARY KEY, name text NOT NULL)")
            for id in 1...3 {
                try connection.execute("INSERT INTO items (id, name) VALUES (\(id), \("item \(id)"))")
            }
            let prepared = try connection.query("SELECT count(*)::int8 FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO items%'")
            #expect(try prepared[0].decode(Int.self, at: 0) == 1)
            #expect(try connection.query("SELECT count(*)::int8 FROM items")[0].decode(Int.self, at: 0) == 3)
        }
    }

    @Test func discardAllDoesNotBreakLaterStatements() throws {
        try ScratchSchema.with { connection, _ in
            #expect(try connection.query("SELECT \(41) + 1")[0].decode(Int.self, at: 0) == 42)
            try connection.simpleQuery("DEALLOCATE ALL")
            #expect(try connection.query("SELECT \(41) + 1")[0].decode(Int.self, at: 0) == 42)
        }
    }

    @Test func aTableChangedUnderAPreparedSelectIsReadAnew() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE shapes (id int4 PRIMARY KEY)")
            try connection.execute("INSERT INTO shapes VALUES (1)")
            #expect(try connection.query("SELECT * FROM shapes")[0].columns.count == 1)
            try connection.execute("ALTER TABLE shapes ADD COLUMN name text NOT NULL DEFAULT 'circle'")
            let row = try connection.query("SELECT * FROM shapes")[0]
            #expect(row.columns == ["id", "name"])
            #expect(try row.decode(String.self, at: 1) == "circle")
        }
    }
}
