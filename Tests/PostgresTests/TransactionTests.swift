import Postgres
import Testing

@Suite struct TransactionTests {
    private struct Abort: Error {}

    @Test func commitsAndReturnsTheBodysValue() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE t (x int)")
            let inserted = try connection.transaction { tx in try tx.execute("INSERT INTO t VALUES (1), (2)") }
            #expect(inserted == 2)
            #expect(!connection.isInTransaction)
            #expect(try connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 2)
        }
    }

    @Test func rollsBackWhenTheBodyThrows() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE t (x int)")
            #expect(throws: Abort.self) {
                try connection.transaction { tx in
                    try tx.execute("INSERT INTO t VALUES (1)")
                    throw Abort()
                }
            }
            #expect(!connection.isInTransaction)
            #expect(try connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test func aSwallowedStatementErrorIsNotReportedAsACommit() throws {
        try ScratchSchema.with { connection, _ in
            try connection.execute("CREATE TABLE t (x int PRIMARY KEY)")
            let error = try #require(throws: PostgresError.self) {
                try connection.transaction { tx in
                    try tx.execute("INSERT INTO t VALUES (1)")
                    _ = try? tx.execute("INSERT INTO t VALUES (1)")
                }
            }
            #expect(error.code == .transactionAborted)
            #expect(!connection.isInTransaction)
            #expect(try connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test func nestingIsRefused() throws {
        try ScratchSchema.with { connection, _ in
            let error = try #require(throws: PostgresError.self) {
                try connection.transaction { tx in try tx.transaction { _ in } }
            }
            #expect(error.code == .invalidUsage)
            #expect(!connection.isInTransaction)
        }
    }

    /// PostgreSQL's own write-skew example: each transaction sums one class and inserts
    /// the sum into the other. The second commits in the middle of the first, so the
    /// first must fail with 40001, run again on fresh data, and commit once.
    @Test func serializationFailureIsRetriedAndThenCommitsOnce() throws {
        try ScratchSchema.with { first, scratch in
            try first.execute("CREATE TABLE mytab (class int NOT NULL, value int NOT NULL)")
            try first.execute("INSERT INTO mytab VALUES (1, 10), (1, 20), (2, 100), (2, 200)")
            let second = try scratch.connect()
            defer { second.close() }

            var firstRuns = 0
            var secondRuns = 0
            var failures: [String] = []
            try first.transaction(isolation: .serializable) { tx in
                firstRuns += 1
                let sum = try tx.query("SELECT sum(value)::int8 FROM mytab WHERE class = 1")[0].decode(Int.self, at: 0)
                if firstRuns == 1 {
                    try second.transaction(isolation: .serializable) { other in
                        secondRuns += 1
                        let otherSum = try other.query("SELECT sum(value)::int8 FROM mytab WHERE class = 2")[0]
                            .decode(Int.self, at: 0)
                        try other.execute("INSERT INTO mytab VALUES (1, \(otherSum))")
                    }
                }
                do {
                    try tx.execute("INSERT INTO mytab VALUES (2, \(sum))")
                } catch let error as PostgresError {
                    failures.append(error.sqlState ?? "none")
                    throw error
                }
            }

            #expect(firstRuns == 2)
            #expect(secondRuns == 1)
            // 40001 surfaces either at the INSERT (recorded) or at COMMIT (not recorded).
            #expect(failures.allSatisfy { $0 == "40001" })
            let rows = try first.query("SELECT class, value FROM mytab ORDER BY class, value")
            let values = try rows.map { try $0.decode((Int, Int).self) }
            // Second committed once (1, 300); first committed once, after seeing it: 10 + 20 + 300.
            #expect(values.map { [$0.0, $0.1] } == [[1, 10], [1, 20], [1, 300], [2, 100], [2, 200], [2, 330]])
        }
    }

    @Test func retriesStopAtMaxAttempts() throws {
        try ScratchSchema.with { connection, _ in
            var runs = 0
            let error = try #require(throws: PostgresError.self) {
                try connection.transaction(isolation: .serializable, maxAttempts: 3) { tx in
                    runs += 1
                    // A serialization failure raised on purpose, as the server would.
                    try tx.simpleQuery("DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '40001'; END $$")
                }
            }
            #expect(error.sqlState == "40001")
            #expect(error.isRetryableTransactionFailure)
            #expect(runs == 3)
            #expect(!connection.isInTransaction)
        }
    }

    @Test func otherServerErrorsAreNotRetried() throws {
        try ScratchSchema.with { connection, _ in
            var runs = 0
            let error = try #require(throws: PostgresError.self) {
                try connection.transaction(isolation: .repeatableRead) { tx in
                    runs += 1
                    try tx.query("SELECT 1 / \(0)::int4")
                }
            }
            #expect(error.sqlState == "22012")
            #expect(runs == 1)
        }
    }
}
