import ArgumentParser
import FleetTesting
import Foundation
import Soak

/// `itp-soak run`: the fault-injection soak. Exit 0 only when every invariant holds.
struct SoakRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drive N products through the fleet while injecting faults; check the invariants; exit non-zero on any violation.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Products to submit.")
    var products = 200

    @Option(help: "Upper bound of the storefront phase, in minutes (then the run settles and checks).")
    var timeLimitMinutes = 45.0

    @Option(help: "Upper bound of the settling phase, in minutes.")
    var settleMinutes = 6.0

    @Option(help: "Faults to inject, comma-separated, or 'all' / 'none': \(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var faults = "all"

    @Option(help: "Seconds between injected faults, as MIN-MAX.")
    var faultInterval = "3-9"

    @Option(help: "Malformed messages published to the work queues.")
    var poison = 12

    @Option(help: "Percent of job commits followed by the daemon's own SIGKILL before the ack.")
    var killAfterCommitPercent = 2.0

    @Option(help: "Share of products (0-1) whose ready design is saved to the library and put on two more garments.")
    var libraryShare = 0.15

    @Flag(help: "Use the built-in image provider instead of the local fake HTTP API (no provider faults).")
    var builtinProvider = false

    @Option(help: "Rate limit of the fake provider account, and the design workers' shared ITP_PROVIDER_CALLS_PER_MINUTE.")
    var providerCallsPerMinute: Int?

    @Flag(help: """
        Run against a three-node RabbitMQ cluster (scripts/servers cluster-start, stopped at the end): every daemon \
        gets the three addresses, and the cluster faults (node-kill-connected, node-kill-leader, node-restart, \
        and a partition) replace broker-kill and broker-stall; each cluster fault is injected once first, then \
        drawn at random. The partition is node-partition, a real network cut, when the run is inside scripts/netns \
        (scripts/soak --cluster does that), else node-pause (SIGSTOP past the net tick time).
        """)
    var cluster = false

    @Flag(help: """
        Run on a Postgres primary with a synchronous standby (scripts/servers pgpair-start, stopped at the end) \
        through its multi-host URL (target_session_attrs=read-write): the postgres-failover fault (kill -9 of the \
        primary, the standby promoted, the old primary rebuilt as the new standby) replaces postgres-crash, and \
        is injected once first.
        """)
    var postgresPair = false

    func run() async throws {
        var configuration = try common.configuration()
        var startedCluster: ClusterTestEnvironment?
        defer { try? startedCluster?.stop() }
        if cluster { startedCluster = try ClusterStart.start(for: &configuration, command: "itp-soak") }
        var startedPair: PostgresPairTestEnvironment?
        defer { try? startedPair?.stop() }
        if postgresPair {
            FileHandle.standardError.write(Data("itp-soak: starting the Postgres pair\n".utf8))
            let pair = try PostgresPairTestEnvironment.start(try TestEnvironment.require())
            startedPair = pair
            configuration.postgresPair = pair
            configuration.databaseURL = pair.databaseURL
        }
        configuration.products = products
        configuration.timeLimit = .milliseconds(Int64(timeLimitMinutes * 60_000))
        configuration.settleLimit = .milliseconds(Int64(settleMinutes * 60_000))
        configuration.faults = FaultKind.injectable(
            try Self.parseFaults(faults), cluster: configuration.cluster?.partitionable, postgresPair: postgresPair)
        var leading: [FaultKind] = []
        // The partition the cluster allows: a real one under scripts/netns, else SIGSTOP.
        if let cluster = configuration.cluster { leading += FaultKind.cluster(partitionable: cluster.partitionable) }
        if postgresPair { leading.append(.postgresFailover) }
        configuration.leadingFaults = leading.filter(configuration.faults.contains).shuffled()
        configuration.faultInterval = try Self.parseRange(faultInterval)
        configuration.poisonMessages = poison
        configuration.killAfterCommitPercent = killAfterCommitPercent
        guard (0...1).contains(libraryShare) else { throw ValidationError("--library-share: expected 0 to 1, got \(libraryShare)") }
        configuration.libraryShare = libraryShare
        configuration.useFakeProvider = !builtinProvider
        if let rate = providerCallsPerMinute {
            guard rate > 0 else { throw ValidationError("--provider-calls-per-minute: expected a positive number, got \(rate)") }
            configuration.providerCallsPerMinute = rate
        }

        if let cluster = configuration.cluster { print("itp-soak: against the cluster \(cluster.amqpURL)") }
        if let pair = configuration.postgresPair { print("itp-soak: on the Postgres pair \(pair.databaseURL)") }
        print("itp-soak: \(products) products, faults: \(configuration.faults.map(\.rawValue).sorted().joined(separator: ","))")
        print("itp-soak: instances: " + DaemonKind.allCases.map { "\($0) ×\(configuration.instances[$0] ?? 1)" }.joined(separator: ", "))
        let run = SoakRun(configuration: configuration)
        // Progress to stderr, unbuffered: it must show up as it happens, also in a log.
        let result = try await run.run { FileHandle.standardError.write(Data("itp-soak: \($0)\n".utf8)) }
        print("\n== fault log")
        result.faultLog.forEach { print("  \($0)") }
        print("\n== summary")
        result.summary.forEach { print("  \($0)") }
        if !result.storefrontProblems.isEmpty {
            print("\n== storefront problems (\(result.storefrontProblems.count))")
            result.storefrontProblems.prefix(30).forEach { print("  \($0)") }
        }
        print("\n== invariants")
        print(result.report)
        if !result.isClean { throw ExitCode(1) }
    }

    static func parseFaults(_ text: String) throws -> Set<FaultKind> {
        if text == "all" { return Set(FaultKind.allCases) }
        if text == "none" { return [] }
        return Set(try text.split(separator: ",").map { name in
            guard let kind = FaultKind(rawValue: String(name)) else {
                throw ValidationError("--faults: unknown fault '\(name)'")
            }
            return kind
        })
    }

    static func parseRange(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: "-").compactMap { Double($0) }
        guard parts.count == 2, parts[0] > 0, parts[0] <= parts[1] else {
            throw ValidationError("--fault-interval: '\(text)' is not MIN-MAX seconds")
        }
        return parts[0]...parts[1]
    }
}
