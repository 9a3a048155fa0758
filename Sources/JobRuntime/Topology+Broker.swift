public import AMQP
import Foundation

extension Topology {
    /// Declares every exchange, queue and binding. Idempotent: declaring an existing object
    /// with the same arguments is a no-op (with different arguments the broker refuses with
    /// 406 PRECONDITION_FAILED, which names the object).
    /// - Returns: one line per object, for an operator's terminal.
    @discardableResult
    public func declare(on broker: AMQPConnection) async throws -> [String] {
        var lines: [String] = []
        for exchange in exchanges {
            try await broker.declareExchange(name: exchange.name, type: exchange.type, durable: true)
            lines.append("exchange \(exchange.name) (\(exchange.type))")
        }
        for queue in queues {
            let result = try await broker.declareQueue(name: queue.name, durable: true, arguments: queue.arguments.amqpTable)
            lines.append("queue \(queue.name) (\(result.messageCount) ready, \(result.consumerCount) consumers)")
        }
        for binding in bindings {
            try await broker.bindQueue(name: binding.queue, exchange: binding.exchange, routingKey: binding.routingKey)
            lines.append("binding \(binding.exchange) -[\(binding.routingKey)]-> \(binding.queue)")
        }
        return lines
    }

    /// The topology as a RabbitMQ definitions document (`rabbitmqctl import_definitions`,
    /// or `load_definitions` in rabbitmq.conf) for `vhost`.
    public func definitionsJSON(vhost: String = "/") throws -> String {
        func arguments(_ values: [String: ArgumentValue]) -> [String: Any] {
            values.mapValues { value -> Any in
                switch value {
                case .string(let string): string
                case .int(let int): int
                }
            }
        }
        // The vhost itself, so that importing the file into a broker that lacks it works.
        let document: [String: Any] = [
            "vhosts": [["name": vhost] as [String: Any]],
            "exchanges": exchanges.map { exchange in
                ["name": exchange.name, "vhost": vhost, "type": exchange.type, "durable": true,
                 "auto_delete": false, "internal": false, "arguments": [String: Any]()] as [String: Any]
            },
            "queues": queues.map { queue in
                ["name": queue.name, "vhost": vhost, "durable": true, "auto_delete": false,
                 "arguments": arguments(queue.arguments)] as [String: Any]
            },
            "bindings": bindings.map { binding in
                ["source": binding.exchange, "vhost": vhost, "destination": binding.queue, "destination_type": "queue",
                 "routing_key": binding.routingKey, "arguments": [String: Any]()] as [String: Any]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension [String: Topology.ArgumentValue] {
    var amqpTable: AMQPTable {
        var table = AMQPTable()
        for (key, value) in sorted(by: { $0.key < $1.key }) {
            switch value {
            case .string(let string): table[key] = .string(string)
            case .int(let int): table[key] = .int(Int64(int))
            }
        }
        return table
    }
}
