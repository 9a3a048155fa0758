import Foundation

extension WorkerProcess {
    /// The broker ports the worker logged in to, in order (from its `AMQP connected` lines,
    /// whose `amqp.endpoint` names the node).
    var connectedPorts: [Int] {
        log.split(separator: "\n").filter { $0.contains("AMQP connected") }.compactMap { line -> Int? in
            guard let range = line.range(of: "amqp.endpoint=") else { return nil }
            let value = line[range.upperBound...].drop { $0 == "\"" }.prefix { $0 != " " && $0 != "\"" }
            guard let colon = value.lastIndex(of: ":") else { return nil }
            return Int(value[value.index(after: colon)...])
        }
    }
}
