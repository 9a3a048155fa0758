import Postgres
import Testing

@Suite struct SQLTests {
    @Test func interpolatedValuesBecomeNumberedParameters() {
        let id = 42
        let name: String? = "x'); DROP TABLE t; --"
        let sql: SQL = "SELECT * FROM t WHERE id = \(id) AND name = \(name) AND flag = \(true)"
        #expect(sql.text == "SELECT * FROM t WHERE id = $1 AND name = $2 AND flag = $3")
        #expect(sql.binds.map(\.text) == ["42", "x'); DROP TABLE t; --", "t"])
    }

    @Test func stringLiteralsInterpolatedAreBoundToo() {
        let sql: SQL = "SELECT \("it's")"
        #expect(sql.text == "SELECT $1")
        #expect(sql.binds.map(\.text) == ["it's"])
    }

    @Test func nilBindsNull() {
        let missing: Int? = nil
        let sql: SQL = "SELECT \(missing)"
        #expect(sql.binds == [PostgresBind(text: nil)])
    }

    @Test func identifiersAreQuotedAndQualified() {
        let sql: SQL = "SELECT * FROM \(identifier: "my schema", "we\"ird") LIMIT \(unescaped: "1")"
        #expect(sql.text == #"SELECT * FROM "my schema"."we""ird" LIMIT 1"#)
        #expect(sql.binds.isEmpty)
    }

    @Test func fragmentsAreRenumbered() {
        let filter: SQL = "a = \(1) AND b = \(2)"
        let sql: SQL = "SELECT \(0) WHERE \(filter) AND c = \(3)"
        #expect(sql.text == "SELECT $1 WHERE a = $2 AND b = $3 AND c = $4")
        #expect(sql.binds.map(\.text) == ["0", "1", "2", "3"])
        let joined: SQL = "SELECT \(1)" + " UNION SELECT \(2)"
        #expect(joined.text == "SELECT $1 UNION SELECT $2")
    }

    @Test func plainLiteralHasNoParameters() {
        let sql: SQL = "SELECT 1"
        #expect(sql.text == "SELECT 1")
        #expect(sql.binds.isEmpty)
    }
}
