internal import CRabbitMQ
import Logging
import Vocabulary

extension IOLoop {
    func addConsumer(
        queue: String, tag: String, prefetch: UInt16, continuation: AsyncStream<AMQPDelivery>.Continuation,
        operation: UInt64
    ) {
        guard core.isPending(operation) else {
            continuation.finish()
            return
        }
        guard consumers[tag] == nil else {
            continuation.finish()
            core.complete(operation, .failure(AMQPError(.invalidArgument, detail: "consumer tag '\(tag)' is in use")))
            return
        }
        consumers.insert(
            ConsumerRecord(
                queue: queue, tag: tag, prefetch: prefetch, channel: allocateChannel(), continuation: continuation,
                pendingStart: operation))
        subscribe(tag)
    }

    /// basic.qos + basic.consume on the consumer's own channel (so publisher flow and
    /// one consumer's channel errors never tangle with another's deliveries).
    ///
    /// basic.consume is written without waiting: registering a consumer on a quorum queue
    /// is a Raft command, slow on a loaded or recovering node, and a blocking RPC would stop
    /// heartbeats and acks and, at its timeout, cost the whole connection. The first
    /// subscription asks for consume-ok and completes its caller when it arrives among the
    /// frames (``consumeStarted``), so the caller still learns of a 404 (as channel.close);
    /// re-subscriptions are nowait, and a failure arrives as channel.close and is retried.
    func subscribe(_ tag: String) {
        guard let record = consumers[tag], !record.cancelled, let connection = live else { return }
        let metadata: Logger.Metadata = [LogKey.amqpQueue: "\(record.queue)", LogKey.amqpConsumer: "\(tag)"]
        let first = record.pendingStart != nil
        do throws(AMQPError) {
            try ensureChannel(record.channel)
            _ = amqp_basic_qos(connection, record.channel, 0, record.prefetch, 0)
            try checkReply(channel: record.channel, "basic.qos")
            let arena = CArena()
            var method = amqp_basic_consume_t(
                ticket: 0, queue: arena.bytes(record.queue), consumer_tag: arena.bytes(tag), no_local: 0, no_ack: 0,
                exclusive: 0, nowait: first ? 0 : 1, arguments: amqp_empty_table)
            let status = amqp_send_method(connection, record.channel, ITP_BASIC_CONSUME, &method)
            if status != AMQP_STATUS_OK.rawValue {
                let error = Self.statusError(status, "basic.consume")
                broken = error
                throw error
            }
            consumers.subscribed(tag)
            // A nowait consume is not known to have worked: failures are reset by a delivery.
            if !first { logger.info("AMQP consumer subscribed", metadata: metadata) }
        } catch {
            if failSubscription(tag, error) { return }
            guard broken == nil, consumers.subscriptionRefused(tag, now: .now) != nil else { return }
            logger.warning(
                "AMQP consumer subscription failed; retrying",
                metadata: metadata.merging([LogKey.amqpError: .error(error)]) { $1 })
        }
    }

    /// consume-ok for a first subscription: its `consume()` caller resumes.
    func consumeStarted(channel: amqp_channel_t) {
        guard let record = consumers.firstSubscriptionStarted(onChannel: channel), let operation = record.pendingStart
        else { return }
        if core.isPending(operation) {
            core.complete(operation, .success(.none))
            logger.info(
                "AMQP consumer subscribed",
                metadata: [LogKey.amqpQueue: "\(record.queue)", LogKey.amqpConsumer: "\(record.tag)"])
        } else {
            // The caller gave up waiting: nobody reads this stream.
            cancelConsumer(record.tag, operation: nil)
        }
    }

    /// Fails a first subscription that has not been confirmed (its record goes: nothing
    /// reads its stream). False when `tag` is not waiting for its first consume-ok.
    func failSubscription(_ tag: String, _ error: AMQPError) -> Bool {
        guard let operation = consumers[tag]?.pendingStart, let record = consumers.remove(tag) else { return false }
        record.continuation.finish()
        let detail = error.detail.hasPrefix("basic.") ? error.detail : "basic.consume: \(error.detail)"
        core.complete(operation, .failure(AMQPError(error.code, replyCode: error.replyCode, detail: detail)))
        return true
    }

    /// The connection is gone before some first subscriptions were confirmed.
    func failPendingSubscriptions(_ error: AMQPError) {
        for tag in consumers.tags { _ = failSubscription(tag, error) }
    }

    func resubscribeDueConsumers() {
        for tag in consumers.due(now: .now) {
            subscribe(tag)
            if broken != nil { return }
        }
    }

    /// basic.cancel from the owner: no more deliveries; the stream ends once the
    /// deliveries already received are consumed. Acks of those still work.
    func cancelConsumer(_ tag: String, operation: UInt64?) {
        defer { if let operation { core.complete(operation, .success(.none)) } }
        guard let record = consumers.cancel(tag) else { return }
        if record.subscribed, let connection = live {
            // nowait, for the reason basic.consume is sent without waiting; deliveries that
            // arrive after the stream ended are rejected with requeue (``deliver``).
            let arena = CArena()
            var method = amqp_basic_cancel_t(consumer_tag: arena.bytes(tag), nowait: 1)
            let status = amqp_send_method(connection, record.channel, ITP_BASIC_CANCEL, &method)
            if status != AMQP_STATUS_OK.rawValue { broken = Self.statusError(status, "basic.cancel") }
        }
    }

    /// Ends the streams of cancelled consumers after this step's frames (deliveries read
    /// in this step are yielded first; later ones are rejected with requeue).
    func finishCancelledConsumers() {
        for record in consumers.takeCancelledUnfinished() { record.continuation.finish() }
    }

    /// consumer_cancel_notify: the queue was deleted or failed over. Subscribe again
    /// after a short delay; the queue may be re-declared meanwhile.
    func consumerCancelledByBroker(_ tag: String) {
        guard let record = consumers.cancelledByBroker(tag, now: .now) else { return }
        logger.warning(
            "AMQP consumer cancelled by broker; re-subscribing",
            metadata: [LogKey.amqpQueue: "\(record.queue)", LogKey.amqpConsumer: "\(tag)"])
    }

    func deliver(_ method: amqp_basic_deliver_t, channel: amqp_channel_t) {
        let tag = String(method.consumer_tag)
        let exchange = String(method.exchange)
        let routingKey = String(method.routing_key)
        guard let message = readMessage(channel) else { return }
        guard let record = consumers.deliveryArrived(tag) else {
            // Nobody will read it: give it back at once rather than holding it unacked.
            if let connection = live { _ = amqp_basic_reject(connection, channel, method.delivery_tag, 1) }
            return
        }
        record.continuation.yield(
            AMQPDelivery(
                body: message.body, properties: message.properties, exchange: exchange, routingKey: routingKey,
                redelivered: method.redelivered != 0, deliveryTag: method.delivery_tag, consumerTag: tag,
                generation: generation, channelEpoch: openChannels[channel] ?? 0))
    }

    /// Acks, nacks or rejects on the channel the delivery came on, if that channel (and
    /// connection) is still the same; otherwise the broker already requeued it.
    func settleDelivery(_ delivery: AMQPDelivery, _ settlement: Settlement, operation: UInt64) {
        guard let connection = live, delivery.generation == generation,
            let record = consumers[delivery.consumerTag],
            let epoch = openChannels[record.channel], epoch == delivery.channelEpoch
        else {
            core.complete(
                operation,
                .failure(AMQPError(.staleDelivery, detail: "the delivery's channel is gone; the broker redelivers it")))
            return
        }
        let status: Int32
        switch settlement {
        case .ack:
            status = amqp_basic_ack(connection, record.channel, delivery.deliveryTag, 0)
        case .nack(let requeue):
            status = amqp_basic_nack(connection, record.channel, delivery.deliveryTag, 0, requeue ? 1 : 0)
        case .reject(let requeue):
            status = amqp_basic_reject(connection, record.channel, delivery.deliveryTag, requeue ? 1 : 0)
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            let error = Self.statusError(status, "settling a delivery")
            broken = error
            core.complete(operation, .failure(error))
            return
        }
        core.complete(operation, .success(.none))
    }
}
