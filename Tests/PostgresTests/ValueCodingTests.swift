import Foundation
import Postgres
import Testing

/// Text-format encoding and decoding, without a server.
@Suite struct ValueCodingTests {
    @Test func timestampsEncodeAsUTCWithMicroseconds() {
        #expect(Date(timeIntervalSince1970: 0).postgresText == "1970-01-01T00:00:00.000000Z")
        #expect(Date(timeIntervalSince1970: 951_782_400.25).postgresText == "2000-02-29T00:00:00.250000Z")
        #expect(Date(timeIntervalSince1970: -1.5).postgresText == "1969-12-31T23:59:58.500000Z")
    }

    @Test(arguments: [
        ("2000-02-29 00:00:00+00", 951_782_400.0),
        ("2000-02-29 05:30:00.5+05:30", 951_782_400.5),
        ("2000-02-28 21:00:00-03", 951_782_400.0),
        ("2000-02-29T00:00:00.000001Z", 951_782_400.000001),
        ("2000-02-29 00:00:00", 951_782_400.0),
        ("2000-02-29", 951_782_400.0),
        ("1969-12-31 23:59:58.5+00", -1.5),
    ])
    func timestampsDecodeWithOffsets(text: String, expected: Double) throws {
        let date = try Date(postgresText: text, column: "at")
        #expect(abs(date.timeIntervalSince1970 - expected) < 1e-6)
    }

    @Test(arguments: ["infinity", "2000-02-29 00:00:00 BC", "2000-13-01", "yesterday"])
    func invalidTimestampsAreRejected(text: String) {
        #expect(throws: PostgresDecodingFailure.self) { try Date(postgresText: text, column: "at") }
    }

    @Test func byteaUsesHexFormat() throws {
        #expect(Data([0x00, 0xab, 0xff]).postgresText == #"\x00abff"#)
        #expect(try [UInt8](postgresText: #"\x00ABff"#, column: "b") == [0x00, 0xab, 0xff])
        #expect(throws: PostgresDecodingFailure.self) { try Data(postgresText: #"\x0"#, column: "b") }
        #expect(throws: PostgresDecodingFailure.self) { try Data(postgresText: "abc", column: "b") }
    }

    @Test func arraysQuoteEveryElement() {
        #expect(["a", "b,c", #"q"uote"#, #"back\slash"#, "NULL", ""].postgresText
            == #"{"a","b,c","q\"uote","back\\slash","NULL",""}"#)
        #expect([Int]().postgresText == "{}")
    }

    @Test func arraysParseQuotedUnquotedAndEmpty() throws {
        #expect(try [String](postgresText: #"{a,"b,c","q\"uote","back\\slash","NULL",""}"#, column: "x")
            == ["a", "b,c", #"q"uote"#, #"back\slash"#, "NULL", ""])
        #expect(try [Int](postgresText: "{1,-2,3}", column: "x") == [1, -2, 3])
        #expect(try [String](postgresText: "{}", column: "x") == [])
        #expect(throws: PostgresDecodingFailure.self) { try [String](postgresText: "{a,NULL}", column: "x") }
        #expect(throws: PostgresDecodingFailure.self) { try [Int](postgresText: "{{1},{2}}", column: "x") }
    }

    @Test func scalarsRejectMalformedText() {
        #expect(throws: PostgresDecodingFailure.self) { try Int(postgresText: "12.5", column: "n") }
        #expect(throws: PostgresDecodingFailure.self) { try Int16(postgresText: "70000", column: "n") }
        #expect(throws: PostgresDecodingFailure.self) { try Bool(postgresText: "yes", column: "b") }
        #expect(throws: PostgresDecodingFailure.self) { try UUID(postgresText: "not-a-uuid", column: "u") }
    }

    @Test func nonFiniteDoublesUseServerSpelling() throws {
        #expect(Double.infinity.postgresText == "Infinity")
        #expect((-Double.infinity).postgresText == "-Infinity")
        #expect(Double.nan.postgresText == "NaN")
        #expect(try Double(postgresText: "-Infinity", column: "d") == -.infinity)
    }
}
