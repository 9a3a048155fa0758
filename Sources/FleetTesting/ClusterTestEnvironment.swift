import Foundation

/// A three-node RabbitMQ cluster beside the private single node: `scripts/servers
/// cluster-start` boots and joins it (pause_minority, net_ticktime 10) and returns once
/// every node runs; its address list and ports are read from `ITP_SCRATCH/cluster/env`.
/// For `Disruptive…` suites only (the nodes cost CPU, and tests kill them). Under
/// `scripts/netns` each node lives in a network namespace of its own and can be cut off.
public struct ClusterTestEnvironment: Sendable {
    /// The comma-separated `amqp://` list, one URL per node, in node order.
    public var amqpURL: String
    /// The AMQP port of node 1, 2 and 3 (distinct, so a client's socket names its node).
    public var ports: [Int]
    /// Whether the nodes are in network namespaces (`scripts/netns`), so that
    /// `scripts/servers cluster-node-cut` partitions one for real.
    public var partitionable: Bool
    public let environment: TestEnvironment

    public static func start(_ environment: TestEnvironment) throws -> ClusterTestEnvironment {
        try environment.servers("cluster-start")
        guard let scratch = ProcessInfo.processInfo.environment["ITP_SCRATCH"] else {
            throw TestEnvironmentError("ITP_SCRATCH is not set: run the tests through scripts/test")
        }
        let values = try ExportsFile.read(scratch + "/cluster/env")
        guard let url = values["ITP_CLUSTER_AMQP_URL"], let ports = values["ITP_CLUSTER_AMQP_PORTS"] else {
            throw TestEnvironmentError("ITP_CLUSTER_AMQP_URL or ITP_CLUSTER_AMQP_PORTS missing from \(scratch)/cluster/env")
        }
        return ClusterTestEnvironment(
            amqpURL: url, ports: ports.split(separator: ",").compactMap { Int($0) },
            partitionable: !(values["ITP_CLUSTER_NETNS"] ?? "").isEmpty, environment: environment)
    }

    /// The address node 1, 2 and 3 listen on (127.0.0.1, or 10.77.K.N under scripts/netns).
    public var hosts: [String] {
        amqpURL.split(separator: ",").map { url in
            let authority = url.split(separator: "@", maxSplits: 1).last.map(String.init) ?? ""
            return String(authority.prefix { $0 != ":" && $0 != "/" })
        }
    }

    /// The Erlang names of node 1, 2 and 3 (`itp1@localhost`, or `itp1@10.77.K.1` under
    /// scripts/netns), as `rabbitmqctl` reports quorum members and leaders.
    public var nodeNames: [String] {
        hosts.enumerated().map { index, host in "itp\(index + 1)@\(partitionable ? host : "localhost")" }
    }

    /// The node (1-3) listening on `port`.
    public func node(port: Int) -> Int? {
        ports.firstIndex(of: port).map { $0 + 1 }
    }

    public func killNode(_ node: Int) throws {
        try environment.servers("cluster-node-kill", "\(node)")
    }

    public func startNode(_ node: Int) throws {
        try environment.servers("cluster-node-start", "\(node)")
    }

    public func stop() throws {
        try environment.servers("cluster-stop")
    }
}

/// `export NAME='value'` lines, as `scripts/servers` writes them.
enum ExportsFile {
    static func read(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            values[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: ["'"])
        }
        return values
    }
}

extension ClusterTestEnvironment {
    /// The nodes holding a replica of quorum queue `queue` (`rabbitmqctl list_queues name
    /// members`, asked of node `node`).
    public func queueMembers(_ queue: String, askingNode node: Int = 1) async throws -> [String] {
        try await listQueues(queue, column: "members", askingNode: node) as? [String] ?? []
    }

    /// The node (1-3) holding the Raft leadership of quorum queue `queue` (`rabbitmqctl
    /// list_queues name leader`, asked of node `node`), nil when none is reported.
    public func queueLeader(_ queue: String, askingNode node: Int = 1) async throws -> Int? {
        guard let leader = try await listQueues(queue, column: "leader", askingNode: node) as? String else { return nil }
        return Self.nodeNumber(leader)
    }

    /// `column` of `queue`'s row in `rabbitmqctl list_queues name COLUMN`, asked of node
    /// `node`; nil when the queue is not listed. Captured directly: the command starts no
    /// server that could inherit the pipe.
    private func listQueues(_ queue: String, column: String, askingNode node: Int) async throws -> Any? {
        let output = try await ProcessRunner.capture(
            environment.serversScript, ["cluster-ctl", "\(node)", "list_queues", "name", column, "--formatter", "json"])
        guard output.status == 0,
            let rows = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]]
        else {
            throw TestEnvironmentError("list_queues failed (\(output.status)): \(output.stderr.suffix(500))")
        }
        return rows.first { $0["name"] as? String == queue }?[column]
    }

    /// 2 for `itp2@localhost` (and `itp2@10.77.1.2` under scripts/netns).
    public static func nodeNumber(_ name: String) -> Int? {
        guard name.hasPrefix("itp"), let at = name.firstIndex(of: "@") else { return nil }
        return Int(name[name.index(name.startIndex, offsetBy: 3)..<at])
    }
}
