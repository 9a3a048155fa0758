import Foundation
import HTTPTransport

/// The CPU of everything the fleet runs on — each daemon, the Postgres postmaster with its
/// backends, the RabbitMQ node — and, from the workers' `/metrics`, how much of it was
/// image work (`itp_image_work_cpu_seconds_total`, thread CPU around each piece of image
/// work). Taken before and after the measured window; the figures are the differences.
public struct CPUSnapshot: Sendable {
    public var daemons: [DaemonKind: Double] = [:]
    public var postgres = 0.0
    public var rabbitmq = 0.0
    /// Image-work CPU by `work` label, summed over the worker instances.
    public var imageWork: [String: Double] = [:]

    public var total: Double { daemons.values.reduce(0, +) + postgres + rabbitmq }
    public var image: Double { imageWork.values.reduce(0, +) }

    public static func - (lhs: CPUSnapshot, rhs: CPUSnapshot) -> CPUSnapshot {
        CPUSnapshot(
            daemons: lhs.daemons.merging(rhs.daemons.mapValues { -$0 }, uniquingKeysWith: +),
            postgres: lhs.postgres - rhs.postgres, rabbitmq: lhs.rabbitmq - rhs.rabbitmq,
            imageWork: lhs.imageWork.merging(rhs.imageWork.mapValues { -$0 }, uniquingKeysWith: +))
    }

    /// - Parameter scratch: `ITP_SCRATCH` of scripts/servers (its pid files).
    static func take(fleet: SoakFleet, scratch: String?) async -> CPUSnapshot {
        var snapshot = CPUSnapshot()
        for process in fleet.processes { snapshot.daemons[process.kind, default: 0] += process.cpuSeconds }
        if let scratch {
            if let pid = Self.pid(file: scratch + "/postgres/data/postmaster.pid") { snapshot.postgres = ProcessCPU.treeSeconds(root: pid) }
            // The three-node cluster's nodes when one runs (`scripts/servers cluster-start`), else the single node.
            let clusterNodes = (1...3).compactMap { Self.pid(file: scratch + "/cluster/node\($0)/rabbitmq.pid") }
            if !clusterNodes.isEmpty {
                snapshot.rabbitmq = clusterNodes.map { ProcessCPU.treeSeconds(root: $0) }.reduce(0, +)
            } else if let pid = Self.pid(file: scratch + "/rabbitmq/rabbitmq.pid") {
                snapshot.rabbitmq = ProcessCPU.treeSeconds(root: pid)
            }
        }
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(2), totalTimeout: .seconds(10)))
        for process in fleet.processes where process.kind.isImageWorker {
            guard let port = process.observabilityPort,
                  let response = try? await client.perform(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics")) else { continue }
            for line in response.bodyText.split(separator: "\n") where line.hasPrefix("itp_image_work_cpu_seconds_total{") {
                guard let labelStart = line.range(of: "work=\""), let labelEnd = line[labelStart.upperBound...].firstIndex(of: "\""),
                      let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
                snapshot.imageWork[String(line[labelStart.upperBound..<labelEnd]), default: 0] += value
            }
        }
        return snapshot
    }

    private static func pid(file: String) -> Int32? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return text.split(whereSeparator: \.isNewline).first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }
}
