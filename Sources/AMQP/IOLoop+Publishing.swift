internal import CRabbitMQ

/// Which caller and which message of its batch a publish sequence number belongs to.
struct PublishToken: Sendable {
    var operation: UInt64
    var index: Int
}

extension IOLoop {
    /// Writes a batch of publishes on the confirm channel; each settles when its
    /// confirm (or return + confirm, or a failure) arrives.
    func publish(_ messages: [AMQPMessage], operation: UInt64) {
        guard core.isPending(operation) else { return }
        func fail(from start: Int, _ error: AMQPError) {
            for index in start..<messages.count { core.settlePublish(operation, index: index, .failure(error)) }
        }
        if core.state.withLock({ $0.machine.isBlocked }) {
            fail(from: 0, AMQPError(.connectionBlocked, detail: "the broker blocked publishing (resource alarm)"))
            return
        }
        do {
            try ensureChannel(Self.publishChannel)
        } catch {
            fail(from: 0, error)
            return
        }
        for (index, message) in messages.enumerated() {
            guard let connection = live, openChannels[Self.publishChannel] != nil else {
                fail(from: index, broken ?? AMQPError(.connectionLost, detail: "publish channel lost"))
                return
            }
            let arena = CArena()
            var properties = message.properties.encoded(in: arena)
            confirms.published(
                PublishToken(operation: operation, index: index), exchange: message.exchange,
                routingKey: message.routingKey, body: message.body)
            // May block under a resource alarm; the supervisor then shuts the socket down.
            let status = amqp_basic_publish(
                connection, Self.publishChannel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                message.mandatory ? 1 : 0, 0, &properties, arena.bytes(message.body))
            if status != AMQP_STATUS_OK.rawValue {
                // The tracked publish fails in teardown, with every other unconfirmed one.
                broken = Self.statusError(status, "basic.publish")
            }
        }
    }

    func settle(_ outcomes: [ConfirmTracker<PublishToken>.Outcome]) {
        for outcome in outcomes {
            core.settlePublish(outcome.token.operation, index: outcome.token.index, outcome.result)
        }
    }
}
