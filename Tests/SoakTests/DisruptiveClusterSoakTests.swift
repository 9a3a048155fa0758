import FleetTesting
import Foundation
import Soak
import Testing

/// The soak of issue 19 in small: 30 products, two at a time, through the whole fleet, every daemon given
/// the three-node cluster's addresses, while each cluster fault is injected once — kill -9 of a
/// worker's node, kill -9 of a work queue's quorum leader, a graceful node restart, and a
/// partition — a real one (a node's link cut past the net tick time) under scripts/netns, as
/// scripts/test runs it, else a node frozen with SIGSTOP — each followed by its recovery until
/// the cluster is whole — and a Postgres failover (kill -9 of the primary, the synchronous
/// standby promoted, the fleet on the multi-host URL); then every invariant of the full soak. Boots its own cluster and
/// kills its nodes, so it is Disruptive (serial phase). Bounded by fault count and deadlines,
/// never by wall time.
@Suite(.serialized) struct DisruptiveClusterSoakTests {
    @Test func aSmallSoakUnderClusterFaultsKeepsEveryInvariant() async throws {
        let environment = try TestEnvironment.require()
        let cluster = try ClusterTestEnvironment.start(environment)
        defer { try? cluster.stop() }
        try #require(cluster.partitionable, "the cluster is not in network namespaces: run this suite through scripts/test, which starts it inside scripts/netns (outside, the partition would only be the SIGSTOP stand-in)")
        // Postgres is a primary with a synchronous standby too, failed over once mid-run.
        let pair = try PostgresPairTestEnvironment.start(environment)
        defer { try? pair.stop() }
        var configuration = try SmallSoak.configuration(environment, amqpURL: cluster.amqpURL, name: "cluster-soak")
        configuration.cluster = cluster
        configuration.postgresPair = pair
        configuration.databaseURL = pair.databaseURL
        // Few at a time, so that the storefront phase outlasts the faults (each takes 20-40 s
        // with its recovery) and they hit a fleet at work.
        configuration.products = 30
        configuration.concurrency = 2
        // The four cluster faults and the failover first, then two more drawn among them and daemon kills; no
        // provider or poison faults (ExclusiveSoakTests covers those against the single node).
        // The partition is a real link cut when scripts/test runs this suite under scripts/netns.
        let clusterFaults = FaultKind.cluster(partitionable: cluster.partitionable)
        configuration.faults = Set(clusterFaults + [.postgresFailover, .killDaemon, .killAfterCommit])
        configuration.leadingFaults = (clusterFaults + [.postgresFailover]).shuffled()
        configuration.faultLimit = 7
        configuration.faultInterval = 2...5
        configuration.poisonMessages = 0
        configuration.killAfterCommitPercent = 5
        configuration.garbageShare = 0

        let result = try await SoakRun(configuration: configuration).run()
        let details = SmallSoak.details(result)
        // The per-kind resume times and the fault log, for whoever reads the test log.
        print((["DisruptiveClusterSoakTests:"] + result.summary + ["faults:"] + result.faultLog).joined(separator: "\n  "))
        #expect(result.products.count == 30, "\(details)")
        for kind in clusterFaults + [.postgresFailover] {
            #expect(result.faultCounts[kind.rawValue, default: 0] >= 1, "\(kind.rawValue) never injected\n\(details)")
        }
        #expect(!result.faultLog.contains { $0.contains("FAILED") || $0.contains("no leader") || $0.contains("no worker") }, "\(details)")
        #expect(result.report.isClean, "\(result.report)\n\(details)")
        try? FileManager.default.removeItem(atPath: configuration.workDirectory)
    }
}
