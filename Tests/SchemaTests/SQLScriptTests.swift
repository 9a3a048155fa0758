import Testing
@testable import Schema

@Suite struct SQLScriptTests {
    @Test func splitsOnTopLevelSemicolonsOnly() {
        let script = SQLScript("""
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'a;b', "we;ird" int);
            /* block; /* nested; */ still comment */
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
            CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'x;y' $body$;
            SELECT E'it\\'s; fine', 'it''s; fine', $1
            """)
        #expect(script.statements.count == 4)
        #expect(script.statements[0].text.hasSuffix("\"we;ird\" int)"))
        #expect(script.statements[0].line == 2)
        #expect(script.statements[1].text.contains("RETURN 1; END $$"))
        #expect(script.statements[1].line == 4)
        #expect(script.statements[2].text.contains("'x;y'"))
        #expect(script.statements[3].text.hasPrefix("SELECT E'it\\'s; fine'"))
        #expect(script.statements[3].line == 6)
    }

    @Test func ignoresEmptyAndCommentOnlyStatements() {
        let script = SQLScript(";;\n-- only a comment\n;\nSELECT 1;\n   \n")
        #expect(script.statements == [SQLScript.Statement(text: "SELECT 1", line: 4)])
    }

    @Test func theShippedMigrationSplitsIntoStatementsThatEachEndCleanly() throws {
        let files = try MigrationFile.load(from: SchemaFixtures.migrationsDirectory)
        #expect(!files.isEmpty)
        for file in files {
            let statements = SQLScript(file.sql).statements
            // Each file splits into real statements (0001 alone has dozens; a later one a few).
            #expect(!statements.isEmpty, "\(file.name)")
            #expect(statements.count > 10 || file.name != "0001_initial.sql", "\(file.name)")
            for statement in statements {
                #expect(!statement.text.hasSuffix(";"))
                #expect(!statement.text.isEmpty)
            }
        }
    }
}
