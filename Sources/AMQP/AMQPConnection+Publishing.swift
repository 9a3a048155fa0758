extension AMQPConnection {
    /// Publishes one message and waits for the broker's confirm.
    ///
    /// Throws `.unroutable` when a mandatory message matched no queue, `.nacked`,
    /// `.confirmTimeout` after `timeout` (default: the configured confirm timeout; the
    /// message may still arrive), `.connectionLost`/`.channelClosed` (republish; effects
    /// must be idempotent by message id) or `.connectionBlocked`.
    public func publish(
        exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties = AMQPProperties(),
        mandatory: Bool = true, timeout: Duration? = nil
    ) async throws {
        let message = AMQPMessage(
            exchange: exchange, routingKey: routingKey, body: body, properties: properties, mandatory: mandatory)
        try await publish([message], timeout: timeout)[0].get()
    }

    /// Publishes a batch (written back to back, confirms awaited together, e.g. ~100 in
    /// flight for an outbox relay) and returns one result per message, in order. Never
    /// throws for a single message's failure; throws only `.closed` or `.cancelled`.
    public func publish(_ messages: [AMQPMessage], timeout: Duration? = nil) async throws -> [Result<Void, AMQPError>] {
        guard !messages.isEmpty else { return [] }
        let deadline = timeout ?? configuration.confirmTimeout
        let reply = try await core.perform(
            timeout: deadline,
            timeoutError: AMQPError(.confirmTimeout, detail: "no confirm within \(deadline)"),
            publishCount: messages.count
        ) { loop, operation in
            loop.publish(messages, operation: operation)
        }
        guard case .published(let results) = reply else { return [] }
        return results
    }
}
