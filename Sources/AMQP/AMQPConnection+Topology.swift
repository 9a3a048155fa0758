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
        try await rpc(
            .declareExchange(
                name: name, type: type, durable: durable, autoDelete: autoDelete, isInternal: isInternal,
                arguments: arguments))
    }

    /// Deletes an exchange.
    public func deleteExchange(name: String, ifUnused: Bool = false) async throws {
        try await rpc(.deleteExchange(name: name, ifUnused: ifUnused))
    }

    /// Declares a queue, or with `passive` only checks it exists (404 otherwise) — the
    /// exact queue-depth probe. Arguments: `x-queue-type`, `x-delivery-limit`,
    /// `x-dead-letter-exchange`, `x-dead-letter-strategy`, `x-overflow`, `x-message-ttl`, …
    @discardableResult
    public func declareQueue(
        name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
        arguments: AMQPTable = [:], passive: Bool = false
    ) async throws -> QueueDeclareResult {
        let reply = try await rpc(
            .declareQueue(
                name: name, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments,
                passive: passive))
        guard case .queue(let queue, let messages, let consumers) = reply else {
            throw AMQPError(.connectionLost, detail: "queue.declare: no reply")
        }
        return QueueDeclareResult(name: queue, messageCount: messages, consumerCount: consumers)
    }

    /// Binds a queue to an exchange.
    public func bindQueue(name: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) async throws {
        try await rpc(.bindQueue(name: name, exchange: exchange, routingKey: routingKey, arguments: arguments))
    }

    /// Deletes a queue; returns how many messages it held.
    @discardableResult
    public func deleteQueue(name: String, ifUnused: Bool = false, ifEmpty: Bool = false) async throws -> UInt32 {
        let reply = try await rpc(.deleteQueue(name: name, ifUnused: ifUnused, ifEmpty: ifEmpty))
        guard case .count(let count) = reply else { return 0 }
        return count
    }

    /// Removes all ready messages; returns how many.
    @discardableResult
    public func purgeQueue(name: String) async throws -> UInt32 {
        let reply = try await rpc(.purgeQueue(name: name))
        guard case .count(let count) = reply else { return 0 }
        return count
    }

    /// The caller waits up to the operation timeout; the I/O loop keeps servicing the
    /// connection meanwhile (``RPCRequest``).
    @discardableResult
    private func rpc(_ request: RPCRequest) async throws -> OperationReply {
        try await core.perform(
            timeout: configuration.operationTimeout,
            timeoutError: AMQPError(.operationTimeout, detail: "\(request.what) did not complete in time")
        ) { loop, operation in
            loop.enqueueRPC(request, operation: operation)
        }
    }
}
