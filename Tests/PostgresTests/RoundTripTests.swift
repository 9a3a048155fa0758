import Foundation
import Postgres
import Testing

/// Values bound as parameters come back unchanged, through a table and straight through.
@Suite struct RoundTripTests {
    static let trickyTexts = [
        "it's", "O''Brien", #"back\slash"#, #"\\double"#, #"\x00ff"#, "'; DROP TABLE notes; --",
        "$1 $2 ?", "ünïcödé 😀 中文 עברית", #""quoted""#, "line\nbreak\ttab\r", "", "   ", "NULL",
        "/* comment */ SELECT 1; --", "E'\\n'", "$$dollar$$",
    ]

    @Test(arguments: trickyTexts)
    func trickyTextRoundTripsUnchanged(text: String) throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)")
            #expect(try connection.execute("INSERT INTO notes VALUES (\(1), \(text))") == 1)
            let stored = try connection.query("SELECT body FROM notes WHERE body = \(text)")
            #expect(stored.count == 1)
            #expect(try stored[0].decode(String.self, column: "body") == text)
            #expect(try connection.query("SELECT \(text)::text")[0].decode(String.self, at: 0) == text)
            // The table is still there: nothing in the value was executed.
            #expect(try connection.query("SELECT count(*) FROM notes")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func textWithNULIsRejectedBeforeSending() throws {
        try ScratchSchema.with { connection, _ in
            let error = try #require(throws: PostgresError.self) {
                try connection.query("SELECT \("a\u{0}b")::text")
            }
            #expect(error.code == .encoding)
        }
    }

    @Test func nullsBindAndDecodeAsOptionals() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE things (id int PRIMARY KEY, name text, size int8)")
            let noName: String? = nil
            let noSize: Int? = nil
            try connection.execute("INSERT INTO things VALUES (1, \(noName), \(noSize)), (2, \("two"), \(Int?(2)))")
            let rows = try connection.query("SELECT name, size FROM things ORDER BY id")
            #expect(try rows[0].decode(String?.self, column: "name") == nil)
            #expect(try rows[0].decode(Int?.self, column: "size") == nil)
            #expect(rows[0].text(at: 0) == nil)
            #expect(try rows[1].decode(String?.self, column: "name") == "two")
            #expect(try rows[1].decode(Int?.self, column: "size") == 2)
            #expect(try connection.query("SELECT \(noName)::text IS NULL")[0].decode(Bool.self, at: 0))
        }
    }

    @Test func byteaRoundTripsEveryByteValue() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE blobs (id int PRIMARY KEY, content bytea NOT NULL)")
            let bytes = (0...255).map(UInt8.init) + [0, 0, 0x5c, 0x27]
            try connection.execute("INSERT INTO blobs VALUES (1, \(Data(bytes))), (2, \([UInt8]())), (3, \(bytes))")
            let rows = try connection.query("SELECT content, length(content) FROM blobs ORDER BY id")
            #expect(try rows[0].decode(Data.self, at: 0) == Data(bytes))
            #expect(try rows[0].decode(Int.self, at: 1) == bytes.count)
            #expect(try rows[1].decode([UInt8].self, at: 0) == [])
            #expect(try rows[2].decode([UInt8].self, at: 0) == bytes)
        }
    }

    @Test func scalarsRoundTrip() throws {
        try ScratchSchema.with { connection, _ in
            let id = UUID()
            let at = Date(timeIntervalSince1970: 1_700_000_000.123456)
            let row = try connection.query(
                """
                SELECT \(Int.max)::int8, \(Int32.min)::int4, \(Int16(-7))::int2, \(true)::bool, \(false)::bool,
                       \(0.1)::float8, \(Double.infinity)::float8, \(id)::uuid, \(at)::timestamptz,
                       \(at)::timestamptz::date
                """)[0]
            #expect(try row.decode(Int.self, at: 0) == .max)
            #expect(try row.decode(Int32.self, at: 1) == .min)
            #expect(try row.decode(Int16.self, at: 2) == -7)
            #expect(try row.decode(Bool.self, at: 3) == true)
            #expect(try row.decode(Bool.self, at: 4) == false)
            #expect(try row.decode(Double.self, at: 5) == 0.1)
            #expect(try row.decode(Double.self, at: 6) == .infinity)
            #expect(try row.decode(UUID.self, at: 7) == id)
            #expect(abs(try row.decode(Date.self, at: 8).timeIntervalSince(at)) < 1e-6)
            #expect(try row.decode(Date.self, at: 9) == Date(timeIntervalSince1970: 1_699_920_000))
        }
    }

    @Test func timestampsDecodeWhateverTheSessionTimeZone() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("SET TimeZone TO 'Asia/Kolkata'")
            let at = Date(timeIntervalSince1970: 1_700_000_000.5)
            let back = try connection.query("SELECT \(at)::timestamptz")[0].decode(Date.self, at: 0)
            #expect(abs(back.timeIntervalSince(at)) < 1e-6)
        }
    }

    @Test func jsonAndArraysRoundTrip() throws {
        try ScratchSchema.with { connection, _ in
            struct Info: Codable, Equatable { var base: String; var fallback: Bool }
            let json = try PostgresJSON(encoding: Info(base: "tee \"white\"", fallback: true))
            let tags = ["a", "b,c", #"q"uote"#, #"back\slash"#, "NULL", "", "ü 😀"]
            let ids = [UUID(), UUID()]
            let row = try connection.query(
                "SELECT \(json)::jsonb, \(tags)::text[], \(ids)::uuid[], \([1, -2, 3])::int8[], \([String]())::text[]")[0]
            #expect(try row.decode(PostgresJSON.self, at: 0).decode(Info.self) == Info(base: "tee \"white\"", fallback: true))
            #expect(try row.decode([String].self, at: 1) == tags)
            #expect(try row.decode([UUID].self, at: 2) == ids)
            #expect(try row.decode([Int].self, at: 3) == [1, -2, 3])
            #expect(try row.decode([String].self, at: 4) == [])
        }
    }

    @Test func stringEnumsAndTuplesDecode() throws {
        enum Status: String, PostgresEncodable, PostgresDecodable { case draft, ready }
        try ScratchSchema.with { connection, _ in
            let row = try connection.query("SELECT \(Status.ready)::text, \(7)::int4, \(String?.none)::text")[0]
            let (status, count, missing) = try row.decode((Status, Int, String?).self)
            #expect(status == .ready)
            #expect(count == 7)
            #expect(missing == nil)
        }
    }

    @Test func rowsReportColumnsCountsAndAffectedRows() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE numbers (n int)")
            #expect(try connection.execute("INSERT INTO numbers SELECT generate_series(1, 5)") == 5)
            #expect(try connection.execute("UPDATE numbers SET n = n + 1 WHERE n > \(3)") == 2)
            let rows = try connection.query("SELECT n, n * 2 AS twice FROM numbers ORDER BY n")
            #expect(rows.count == 5)
            #expect(rows.columns == ["n", "twice"])
            #expect(try rows.map { try $0.decode(Int.self, column: "twice") } == [2, 4, 6, 10, 12])
            try connection.simpleQuery("CREATE TABLE a (x int); CREATE TABLE b (y int); INSERT INTO a VALUES (1)")
            #expect(try connection.query("SELECT x FROM a")[0].decode(Int.self, at: 0) == 1)
        }
    }
}
