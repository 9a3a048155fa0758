import FleetTesting
public import Foundation
import HTTPTransport
import JobRuntime
import AMQP
import Logging
import Postgres
import ProductFlow

/// One soak (or benchmark) run: a fresh schema, the whole fleet as processes, a storefront
/// driving products through the API while faults are injected, then settling and the
/// invariant checks. ``run()`` returns the report; the caller decides the exit status.
public final class SoakRun: Sendable {
    public let configuration: SoakConfiguration
    public let runID: String
    public let schema: String
    public let conninfo: String
    public let storageDirectory: String
    /// The run's own owners (`soak-<run>-N`): what the harness polls and measures is theirs,
    /// never a seeded history's.
    public var ownerPattern: String { "soak-\(runID)-%" }

    public struct Result: Sendable {
        public var report: InvariantReport
        /// What happened, for the printed summary.
        public var summary: [String]
        /// Every injected fault, with when.
        public var faultLog: [String]
        /// Injected faults per kind (`FaultKind` raw values, and "poison").
        public var faultCounts: [String: Int]
        /// Storefront calls that did not go as a shopper would expect (findings to read).
        public var storefrontProblems: [String]
        /// Product ids created, with when they were created.
        public var products: [UUID]
        public var storefrontDuration: Duration
        /// What ``SoakConfiguration/historyProducts`` seeded before the fleet started.
        public var history: HistorySeed.Written?
        /// With `measure`: CPU used from the first create until the fleet settled.
        public var cpu: CPUSnapshot?
        public var figures: BenchmarkFigures?
        public var isClean: Bool { report.isClean }
    }

    public init(configuration: SoakConfiguration) {
        self.configuration = configuration
        runID = String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10))
        schema = "soak_\(runID)"
        conninfo = IsolatedSchema.conninfo(configuration.databaseURL, schema: "soak_\(runID)")
        storageDirectory = configuration.workDirectory + "/assets-\(runID)"
    }

    private func admin(_ arguments: [String]) async throws -> String {
        try await ProcessRunner.run(configuration.binDirectory + "/itp-admin", arguments + ["--database-url", conninfo, "--amqp-url", configuration.amqpURL]).stdout
    }

    /// Schema, migrations, topology, empty queues, owners with keys and credits, and the
    /// seeded history if asked.
    private func prepare(progress: (String) -> Void) async throws -> (keys: [String], history: HistorySeed.Written?) {
        let connection = try PostgresConnection.connect(configuration.databaseURL)
        try connection.simpleQuery("CREATE SCHEMA \(schema)")
        connection.close()
        try FileManager.default.createDirectory(atPath: storageDirectory, withIntermediateDirectories: true)
        _ = try await admin(["migrate", "--migrations-dir", configuration.migrationsDirectory])
        _ = try await admin(["broker", "setup"])
        // Messages of earlier runs (other schemas) would be dead letters here: start empty.
        var logger = Logger(label: "itp-soak")
        logger.logLevel = .critical
        let broker = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: configuration.amqpURL), logger: logger)
        for queue in ProductQueues.all {
            _ = try await broker.purgeQueue(name: queue.name)
            _ = try await broker.purgeQueue(name: queue.deadLetterQueue)
            for tier in Topology.delayTiers { _ = try await broker.purgeQueue(name: queue.delayQueue(tier)) }
        }
        await broker.close()
        var keys: [String] = []
        for owner in 0..<max(configuration.owners, 1) {
            let name = "soak-\(runID)-\(owner)"
            let created = try await admin(["keys", "create", "--owner", name])
            guard let line = created.split(separator: "\n").first(where: { $0.hasPrefix("key: ") }) else {
                throw Storefront.CallError(description: "keys create printed no key: \(created)")
            }
            keys.append(String(line.dropFirst("key: ".count)))
            _ = try await admin(["credits", "grant", "--owner", name, "--amount", "\(configuration.products * 4 + 10)"])
        }
        guard configuration.historyProducts > 0 else { return (keys, nil) }
        let history = try HistorySeed(products: configuration.historyProducts, deadLetters: configuration.historyDeadLetters)
            .write(conninfo: conninfo, ownerName: "history-\(runID)", progress: progress)
        progress(String(format: "history seeded in %.0f s: ", history.seconds)
                 + history.rows.map { "\($0.table) \($0.count)" }.joined(separator: ", ")
                 + ", database \(history.databaseBytes >> 20) MiB")
        return (keys, history)
    }

    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Result {
        let (keys, history) = try await prepare(progress: progress)
        let fakeAPI: FakeImageAPI? = configuration.useFakeProvider
            ? try await FakeImageAPI(
                size: configuration.imageSize, faults: configuration.faults.contains(.provider) ? configuration.providerFaults : .none,
                callsPerMinute: configuration.providerCallsPerMinute)
            : nil
        var faultEnvironment: [String: String] = [:]
        if configuration.faults.contains(.killAfterCommit), configuration.killAfterCommitPercent > 0 {
            faultEnvironment["ITP_FAULT_KILL_AFTER_COMMIT_PERCENT"] = "\(configuration.killAfterCommitPercent)"
        }
        let fleet = try SoakFleet(
            configuration: configuration, conninfo: conninfo, storage: storageDirectory, providerURL: fakeAPI?.baseURL,
            faultEnvironment: faultEnvironment, observabilityPorts: configuration.measure)
        try fleet.startAll()
        let supervisor = Task { await fleet.supervise() }
        let board = StatusBoard(conninfo: conninfo, ownerPattern: ownerPattern)
        let boardTask = Task { await board.run() }
        let storefront = Storefront(intakes: fleet.intakeURLs)

        do {
            for intake in fleet.intakeURLs {
                let single = Storefront(intakes: [intake])
                _ = try await single.call(.get, "/openapi.yaml", apiKey: keys[0], patience: .seconds(90))
            }
        } catch {
            board.stop()
            _ = await fleet.stopAll(grace: .seconds(5))
            supervisor.cancel()
            throw Storefront.CallError(description: "the fleet did not come up: \(error)\n" + fleet.processes.map { "== \($0.name)\n\($0.logTail(10))" }.joined(separator: "\n"))
        }
        progress("fleet up: " + fleet.processes.map(\.name).joined(separator: ", "))

        let servers = configuration.serversScript.map { ServersScript(path: $0, log: configuration.workDirectory + "/servers.log") }
        let injector = FaultInjector(
            fleet: fleet, servers: servers, poison: PoisonPublisher(amqpURL: configuration.amqpURL, runID: runID), configuration: configuration,
            conninfo: conninfo)
        let resumeTask = Task { await injector.resumeClock.run() }
        let cpuBefore = configuration.measure ? await CPUSnapshot.take(fleet: fleet, scratch: configuration.scratchDirectory) : nil
        let transactionsBefore = configuration.measure ? try BenchmarkFigures.transactionCounters(conninfo: conninfo) : BenchmarkFigures.TransactionCounters()
        let started = ContinuousClock.now
        let startedAt = Date()
        let injectorTask = Task { await injector.run(started: started) }

        // The storefront phase: products in a sliding window of `concurrency`.
        let deadline = started + configuration.timeLimit
        let plans = (0..<configuration.products).map {
            ProductPlan.draw($0, configuration: configuration, garbageAllowed: fakeAPI != nil && configuration.faults.contains(.provider))
        }
        let flows = ProductFlows(storefront: storefront, board: board, keys: keys, runID: runID, deadline: deadline)
        var outcomes: [ProductFlows.Outcome] = []
        await withTaskGroup(of: ProductFlows.Outcome.self) { group in
            var next = 0
            func addNext() {
                guard next < plans.count else { return }
                let plan = plans[next]
                next += 1
                group.addTask { await flows.run(plan) }
            }
            for _ in 0..<max(configuration.concurrency, 1) { addNext() }
            while let outcome = await group.next() {
                outcomes.append(outcome)
                if outcomes.count % 10 == 0 || outcomes.count == plans.count {
                    progress("storefront: \(outcomes.count)/\(plans.count) products done, t+\(Int((ContinuousClock.now - started) / .seconds(1)))s, faults \(injector.counts.values.reduce(0, +))")
                }
                if ContinuousClock.now < deadline { addNext() }
            }
        }
        let storefrontDuration = ContinuousClock.now - started
        await injector.publishRemainingPoison()
        injector.stop()
        await injectorTask.value
        fakeAPI?.setFaults(.none)
        progress("storefront phase over after \(storefrontDuration); settling")

        // Settle: everything terminal, outbox empty, no open jobs, every poison recorded.
        let confirmedPoison = injector.confirmedPoison
        let settleDeadline = ContinuousClock.now + configuration.settleLimit
        var settled = false
        while ContinuousClock.now < settleDeadline {
            if (try? isSettled(poison: confirmedPoison)) == true { settled = true; break }
            try? await Task.sleep(for: .seconds(1))
        }
        progress(settled ? "settled" : "did not settle within \(configuration.settleLimit); checking anyway")
        injector.resumeClock.stop()
        await resumeTask.value
        var cpu: CPUSnapshot?
        if let cpuBefore { cpu = await CPUSnapshot.take(fleet: fleet, scratch: configuration.scratchDirectory) - cpuBefore }
        let figures = configuration.measure ? try BenchmarkFigures.load(
            conninfo: conninfo, transactionsBefore: transactionsBefore, ownerPattern: ownerPattern, since: startedAt) : nil

        var injected = InvariantChecker.Injected()
        injected.poisonMessageIDs = confirmedPoison
        injected.uncertainPoisonMessageIDs = injector.uncertainPoison
        injected.garbageProducts = Set(outcomes.compactMap { $0.plan.garbage ? $0.productID : nil })
        var checker = InvariantChecker(conninfo: conninfo, storageDirectory: storageDirectory)
        checker.historyOwner = history?.ownerID
        var report = try checker.run(injected: injected)
        if let cluster = configuration.cluster { await checkCluster(cluster, servers: servers, into: &report) }

        board.stop()
        await boardTask.value
        let badStops = await fleet.stopAll(grace: .seconds(45))
        supervisor.cancel()
        report.check("every daemon drains and exits 0 on SIGTERM at the end", badStops, ok: "\(fleet.processes.count) daemons stopped cleanly")

        var summary: [String] = []
        summary.append("run \(runID): schema \(schema), logs \(configuration.workDirectory)/logs")
        if let history {
            summary.append("history: " + history.rows.map { "\($0.table) \($0.count)" }.joined(separator: ", ") + " (owner \(history.ownerID), left out of the blob and dead-letter checks)")
        }
        summary.append("products: \(outcomes.count) driven of \(configuration.products) planned; storefront phase \(storefrontDuration)")
        summary.append("plans: \(plans.filter(\.garbage).count) garbage-answered, \(plans.filter(\.regenerate).count) regenerate, \(plans.filter { $0.reselect == .whileMockupsRun }.count) re-select while mockups run, \(plans.filter { $0.reselect == .afterReady }.count) re-select after ready")
        let libraryPlans = outcomes.filter(\.plan.library)
        summary.append("library: \(libraryPlans.count) designs saved and put on \(libraryPlans.map(\.libraryProducts.count).reduce(0, +)) more products by batch requests")
        summary.append(try ContentAddressing.line(conninfo: conninfo))
        summary.append("faults injected: " + injector.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        summary += injector.resumeClock.summary
        summary.append("kill -9 between commit and ack (fault point): \(fleet.countLogLines(containing: "fault-injection: SIGKILL between commit and ack"))")
        if let fakeAPI { summary.append("fake image API answers: \(fakeAPI.tally)") }
        for kind in DaemonKind.allCases {
            let processes = fleet.processes.filter { $0.kind == kind }
            let exits = processes.flatMap(\.exits)
            let tally = Dictionary(grouping: exits, by: { $0 }).map { "\($0.key) ×\($0.value.count)" }.sorted().joined(separator: ", ")
            summary.append("\(kind): \(processes.count) instances, \(processes.map(\.starts).reduce(0, +)) starts; endings: \(tally)")
        }
        let problems = outcomes.flatMap(\.problems)
        if configuration.cleanUp { cleanUp() }
        return Result(report: report, summary: summary, faultLog: injector.eventLog, faultCounts: injector.counts, storefrontProblems: problems,
                      products: outcomes.compactMap(\.productID), storefrontDuration: storefrontDuration, history: history, cpu: cpu, figures: figures)
    }

    /// A cluster run ends with the cluster whole and every work queue still a quorum queue
    /// with a member on each of the three nodes.
    private func checkCluster(_ cluster: ClusterTestEnvironment, servers: ServersScript?, into report: inout InvariantReport) async {
        var problems: [String] = []
        do {
            try await servers?.runOffPool(["cluster-await"])
        } catch {
            problems.append("the cluster is not whole: \(error)")
        }
        report.check("the cluster is whole at the end (3 running nodes, no partition)", problems, ok: "3 nodes, no partition")
        problems = []
        for queue in ClusterFaults.workQueues {
            let members = (try? await cluster.queueMembers(queue)) ?? []
            if Set(members) != Set(cluster.nodeNames) {
                problems.append("\(queue) has members \(members)")
            }
        }
        report.check(
            "every work queue is a quorum queue on all three nodes", problems, ok: "\(ClusterFaults.workQueues.count) queues × 3 members")
    }

    private func isSettled(poison: Set<String>) throws -> Bool {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let row = try connection.query("""
            SELECT (SELECT count(*) FROM products
                    WHERE status NOT IN ('ready_for_sale', 'failed')
                      AND owner_id IN (SELECT id FROM owners WHERE name LIKE \(ownerPattern))),
                   (SELECT count(*) FROM outbox WHERE published_at IS NULL),
                   (SELECT count(*) FROM jobs WHERE state IN ('queued', 'running', 'retrying'))
            """)[0]
        let (unsettled, unpublished, openJobs) = try row.decode((Int, Int, Int).self)
        guard unsettled == 0, unpublished == 0, openJobs == 0 else { return false }
        guard !poison.isEmpty else { return true }
        let poisonRecorded = try connection.query("""
            SELECT count(*) AS n FROM dead_letters WHERE COALESCE(headers->>'x-itp-original-message-id', message_id) = ANY(\(Array(poison)))
            """)[0].decode(Int.self, column: "n")
        return poisonRecorded >= poison.count
    }

    /// Drops the run's schema and blobs.
    public func cleanUp() {
        if let connection = try? PostgresConnection.connect(configuration.databaseURL) {
            _ = try? connection.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            connection.close()
        }
        try? FileManager.default.removeItem(atPath: storageDirectory)
    }
}
