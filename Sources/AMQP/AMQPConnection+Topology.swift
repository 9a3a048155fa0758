internal import CRabbitMQ

/// What `queue.declare` answered.
public struct QueueDeclareResult: Sendable, Equatable {
    /// The queue's name (the generated one when declared with an empty name).
    public var name: String
    /// Ready messages (not counting unacked ones). Reads 0 for 1–2 s after a restart.
    public var messageCount: UInt32
    public var consumerCount: UInt32
}

extension AMQPConnection {
    /// Declares an exchange (idempotent when the settings match; 406 otherwise).
    public func declareExchange(
        name: String, type: String = "direct", durable: Bool = true, autoDelete: Bool = false,
        internal isInternal: Bool = false, arguments: AMQPTable = [:]
    ) async throws {
        try await rpc("exchange.declare") { connection, arena in
            amqp_exchange_declare(
                connection, IOLoop.rpcChannel, arena.bytes(name), arena.bytes(type), 0, durable ? 1 : 0,
                autoDelete ? 1 : 0, isInternal ? 1 : 0, arena.table(arguments)
            ).map { _ in .none }
        }
    }

    /// Deletes an exchange.
    public func deleteExchange(name: String, ifUnused: Bool = false) async throws {
        try await rpc("exchange.delete") { connection, arena in
            amqp_exchange_delete(connection, IOLoop.rpcChannel, arena.bytes(name), ifUnused ? 1 : 0).map { _ in .none }
        }
    }

    /// Declares a queue, or with `passive` only checks it exists (404 otherwise) — the
    /// exact queue-depth probe. Arguments: `x-queue-type`, `x-delivery-limit`,
    /// `x-dead-letter-exchange`, `x-dead-letter-strategy`, `x-overflow`, `x-message-ttl`, …
    @discardableResult
    public func declareQueue(
        name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
        arguments: AMQPTable = [:], passive: Bool = false
    ) async throws -> QueueDeclareResult {
        let reply = try await rpc("queue.declare") { connection, arena in
            amqp_queue_declare(
                connection, IOLoop.rpcChannel, arena.bytes(name), passive ? 1 : 0, durable ? 1 : 0, exclusive ? 1 : 0,
                autoDelete ? 1 : 0, arena.table(arguments)
            ).map { .queue(name: String($0.pointee.queue), messageCount: $0.pointee.message_count, consumerCount: $0.pointee.consumer_count) }
        }
        guard case .queue(let queue, let messages, let consumers) = reply else {
            throw AMQPError(.connectionLost, detail: "queue.declare: no reply")
        }
        return QueueDeclareResult(name: queue, messageCount: messages, consumerCount: consumers)
    }

    /// Binds a queue to an exchange.
    public func bindQueue(name: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) async throws {
        try await rpc("queue.bind") { connection, arena in
            amqp_queue_bind(
                connection, IOLoop.rpcChannel, arena.bytes(name), arena.bytes(exchange), arena.bytes(routingKey),
                arena.table(arguments)
            ).map { _ in .none }
        }
    }

    /// Deletes a queue; returns how many messages it held.
    @discardableResult
    public func deleteQueue(name: String, ifUnused: Bool = false, ifEmpty: Bool = false) async throws -> UInt32 {
        let reply = try await rpc("queue.delete") { connection, arena in
            amqp_queue_delete(connection, IOLoop.rpcChannel, arena.bytes(name), ifUnused ? 1 : 0, ifEmpty ? 1 : 0)
                .map { .count($0.pointee.message_count) }
        }
        guard case .count(let count) = reply else { return 0 }
        return count
    }

    /// Removes all ready messages; returns how many.
    @discardableResult
    public func purgeQueue(name: String) async throws -> UInt32 {
        let reply = try await rpc("queue.purge") { connection, arena in
            amqp_queue_purge(connection, IOLoop.rpcChannel, arena.bytes(name)).map { .count($0.pointee.message_count) }
        }
        guard case .count(let count) = reply else { return 0 }
        return count
    }

    @discardableResult
    private func rpc(
        _ what: String, _ call: @escaping @Sendable (amqp_connection_state_t, CArena) -> OperationReply?
    ) async throws -> OperationReply {
        try await core.perform(
            timeout: configuration.operationTimeout,
            timeoutError: AMQPError(.operationTimeout, detail: "\(what) did not complete in time")
        ) { loop, operation in
            loop.rpc(operation, what, call)
        }
    }
}
