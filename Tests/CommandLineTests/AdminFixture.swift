import AMQP
import FleetTesting
import Foundation
import JobRuntime
import Logging
import Postgres

/// One test's world for `itp-admin` runs: its own migrated schema, its own work queue (with
/// delay and dead-letter queues) on the test broker, and the built binary.
final class AdminFixture: Sendable {
    let env: TestEnvironment
    let schema: MigratedSchema
    let queue: Topology.WorkQueue
    let broker: AMQPConnection
    let binary: String

    static func make(_ prefix: String) async throws -> AdminFixture {
        let env = try TestEnvironment.require()
        let schema = try await MigratedSchema.create(prefix)
        let name = uniqueName("admin_q")
        let queue = Topology.WorkQueue(name: name, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [name])
        var logger = Logger(label: "test.amqp")
        logger.logLevel = .warning
        let broker = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: env.amqpURL), logger: logger)
        try await Topology(workQueues: [queue]).declare(on: broker)
        return AdminFixture(env: env, schema: schema, queue: queue, broker: broker, binary: try BuiltProducts.path("itp-admin"))
    }

    private init(env: TestEnvironment, schema: MigratedSchema, queue: Topology.WorkQueue, broker: AMQPConnection, binary: String) {
        self.env = env
        self.schema = schema
        self.queue = queue
        self.broker = broker
        self.binary = binary
    }

    func tearDown() async {
        for name in [queue.name, queue.deadLetterQueue] + Topology.delayTiers.map(queue.delayQueue) {
            _ = try? await broker.deleteQueue(name: name)
        }
        await broker.close()
        let schema = self.schema
        _ = try? await offPool { schema.drop() }
    }

    /// `itp-admin <arguments> --database-url <schema> --amqp-url <broker>`, off the cooperative pool.
    func admin(_ arguments: [String], stdin: String? = nil) async throws -> AdminRun {
        let full = arguments + ["--database-url", schema.conninfo, "--amqp-url", env.amqpURL]
        let binary = self.binary
        return try await offPool { try AdminRun.capture(binary, full, stdin: stdin) }
    }

    /// Runs `body` on a connection to this test's schema.
    @discardableResult
    func sql<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let conninfo = schema.conninfo
        return try await offPool {
            let connection = try PostgresConnection.connect(conninfo)
            defer { connection.close() }
            return try body(connection)
        }
    }

    func count(_ query: SQL) async throws -> Int {
        try await sql { try $0.query(query)[0].decode(Int.self, at: 0) }
    }

    func jobState(_ id: UUID) async throws -> String {
        try await sql { try $0.query("SELECT state::text FROM jobs WHERE id = \(id)")[0].decode(String.self, at: 0) }
    }

    /// A real canary worker on this fixture's queue and schema (it records its own dead letters).
    func spawnCanaryWorker() throws -> ChildProcess {
        try ChildProcess(try BuiltProducts.path("itp-canary-worker"), [
            "--database-url", schema.conninfo, "--amqp-url", env.amqpURL, "--queue", queue.name, "--prefetch", "2",
            "--max-attempts", "2", "--retry-initial-delay-ms", "50", "--storage-url", "file:///tmp/itp-canary-unused",
            "--observability-addr", "127.0.0.1:0",
        ])
    }

    /// A canary job (row + outbox row) on this fixture's queue; a worker's relay publishes it.
    func enqueueCanary(_ payload: CanaryHandler.Payload) async throws -> UUID {
        let request = JobRequest(kind: CanaryHandler.kind, queue: queue, payload: try JSONEncoder().encode(payload), maxAttempts: 2)
        return try await sql { connection in try connection.transaction { try request.enqueue(on: $0) } }
    }
}

/// A finished `itp-admin` run.
struct AdminRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }

    static func capture(_ executable: String, _ arguments: [String], stdin: String?) throws -> AdminRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // stdin from a file (never a pipe the child may close under us), or /dev/null.
        var inputFile: URL?
        if let stdin {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("admin-stdin"))
            try Data(stdin.utf8).write(to: file)
            inputFile = file
            process.standardInput = try FileHandle(forReadingFrom: file)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        defer { if let inputFile { try? FileManager.default.removeItem(at: inputFile) } }
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return AdminRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A spawned daemon; killed on deinit if still running.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: the Process is only signalled and read after start.
    let process = Process()
    let logURL: URL

    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("admin-child") + ".log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: logURL)
    }
}
