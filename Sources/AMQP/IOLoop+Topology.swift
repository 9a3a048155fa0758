internal import CRabbitMQ

extension IOLoop {
    /// Runs one synchronous method on the RPC channel (so a 404 or 406 closes only that
    /// channel, never the publish or consumer channels) and completes `operation`.
    /// `call` returns nil when the library returned NULL; the reply says why.
    func rpc(
        _ operation: UInt64, _ what: String,
        _ call: (amqp_connection_state_t, CArena) -> OperationReply?
    ) {
        guard core.isPending(operation) else { return }
        do throws(AMQPError) {
            try ensureChannel(Self.rpcChannel)
            guard let connection = live else { throw broken ?? AMQPError(.connectionLost, detail: "not connected") }
            let reply = call(connection, CArena())
            try checkReply(channel: Self.rpcChannel, what)
            core.complete(operation, .success(reply ?? .none))
        } catch {
            core.complete(operation, .failure(error))
        }
    }
}
