import FleetTesting
import Logging
import Postgres
import Testing

@Suite struct ClientTests {
    private let logger = Logger(label: "postgres-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func concurrentCallersShareAFixedNumberOfConnections() async throws {
        try await ScratchSchema.with { scratch in
            let client = PostgresClient(conninfo: scratch.conninfo, maxConnections: 3, logger: logger)
            try await client.withConnection { try $0.execute("CREATE TABLE hits (pid int4 NOT NULL)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        _ = try await client.withConnection { connection in
                            try connection.execute("INSERT INTO hits SELECT pg_backend_pid()")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let (total, backends) = try await client.withConnection { connection in
                try connection.query("SELECT count(*), count(DISTINCT pid) FROM hits")[0].decode((Int, Int).self)
            }
            #expect(total == 30)
            #expect(backends <= 3)
            await client.shutdown()
        }
    }

    @Test func aTerminatedConnectionIsReplacedOnNextUse() async throws {
        try await ScratchSchema.with { scratch in
            let client = PostgresClient(conninfo: scratch.conninfo, maxConnections: 1, logger: logger)
            let original = try await client.withConnection { $0.backendProcessID }
            let admin = try scratch.connect()
            defer { admin.close() }
            #expect(try admin.query("SELECT pg_terminate_backend(\(original))")[0].decode(Bool.self, at: 0))

            // The broken connection may surface once as a connection failure (if the server's
            // goodbye has not arrived yet); after that the client must have reconnected.
            var replacement: Int32 = 0
            try await waitUntil("a new backend serves the client") {
                do {
                    replacement = try await client.withConnection { $0.backendProcessID }
                    return replacement != original
                } catch let error as PostgresError where error.isConnectionFailure {
                    return false
                }
            }
            #expect(replacement != original)
            await client.shutdown()
        }
    }

    @Test func aTransactionLeftOpenIsRolledBackBeforeReuse() async throws {
        try await ScratchSchema.with { scratch in
            let client = PostgresClient(conninfo: scratch.conninfo, maxConnections: 1, logger: logger)
            try await client.withConnection { connection in
                try connection.execute("CREATE TABLE t (x int)")
                try connection.execute("BEGIN")
                try connection.execute("INSERT INTO t VALUES (1)")
            }
            let (open, count) = try await client.withConnection { connection in
                (connection.isInTransaction, try connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0))
            }
            #expect(!open)
            #expect(count == 0)
            await client.shutdown()
        }
    }

    @Test func transactionsRunThroughTheClient() async throws {
        try await ScratchSchema.with { scratch in
            let client = PostgresClient(conninfo: scratch.conninfo, maxConnections: 2, logger: logger)
            try await client.withConnection { try $0.execute("CREATE TABLE t (x int)") }
            let inserted = try await client.withTransaction(isolation: .serializable) { tx in
                try tx.execute("INSERT INTO t VALUES (1), (2)")
            }
            #expect(inserted == 2)
            await client.shutdown()
        }
    }

    @Test func shutdownRefusesLaterCalls() async throws {
        let client = PostgresClient(conninfo: try TestEnvironment.require().databaseURL, maxConnections: 1, logger: logger)
        #expect(try await client.withConnection { try $0.query("SELECT 1")[0].decode(Int.self, at: 0) } == 1)
        await client.shutdown()
        let error = await #expect(throws: PostgresError.self) {
            try await client.withConnection { _ in 1 }
        }
        #expect(error?.code == .clientShutdown)
    }

    @Test func connectFailuresReachTheCaller() async throws {
        let client = PostgresClient(
            conninfo: "host=127.0.0.1 port=1 dbname=x user=x connect_timeout=5", maxConnections: 1, logger: logger)
        let error = await #expect(throws: PostgresError.self) {
            try await client.withConnection { _ in 1 }
        }
        #expect(error?.code == .connectionFailed)
        await client.shutdown()
    }
}
