internal import CRabbitMQ
import Vocabulary

extension IOLoop {
    /// Dispatches one frame: answers to topology methods and first subscriptions,
    /// confirms and returns on the publish channel, deliveries and broker cancels on
    /// consumer channels, closes and flow notifications anywhere.
    func handle(_ frame: amqp_frame_t) {
        guard frame.frame_type == AMQP_FRAME_METHOD else { return }
        let method = frame.payload.method
        let channel = frame.channel
        func decoded<T>(_: T.Type) -> T { method.decoded.assumingMemoryBound(to: T.self).pointee }
        if answerRPC(method: method, channel: channel) { return }
        switch method.id {
        case ITP_BASIC_CONSUME_OK:
            consumeStarted(channel: channel)
        case ITP_BASIC_ACK where channel == Self.publishChannel:
            let ack = decoded(amqp_basic_ack_t.self)
            settle(confirms.acked(ack.delivery_tag, multiple: ack.multiple != 0))
        case ITP_BASIC_NACK where channel == Self.publishChannel:
            let nack = decoded(amqp_basic_nack_t.self)
            settle(confirms.nacked(nack.delivery_tag, multiple: nack.multiple != 0))
        case ITP_BASIC_RETURN:
            let returned = decoded(amqp_basic_return_t.self)
            let exchange = String(returned.exchange)
            let routingKey = String(returned.routing_key)
            let text = String(returned.reply_text)
            // The returned content follows; it must be drained (pitfall 3).
            guard let message = readMessage(channel) else { return }
            confirms.returned(
                exchange: exchange, routingKey: routingKey, body: message.body, replyCode: returned.reply_code,
                replyText: text)
        case ITP_BASIC_DELIVER:
            deliver(decoded(amqp_basic_deliver_t.self), channel: channel)
        case ITP_BASIC_CANCEL:
            consumerCancelledByBroker(String(decoded(amqp_basic_cancel_t.self).consumer_tag))
        case ITP_CHANNEL_CLOSE:
            let close = decoded(amqp_channel_close_t.self)
            acknowledgeChannelClose(
                channel, AMQPError(.channelClosed, replyCode: close.reply_code, detail: String(close.reply_text)))
        case ITP_CONNECTION_CLOSE:
            let close = decoded(amqp_connection_close_t.self)
            acknowledgeConnectionClose()
            broken = Self.connectionCloseError(close, "connection")
        case ITP_CONNECTION_BLOCKED:
            let reason = String(decoded(amqp_connection_blocked_t.self).reason)
            core.handle { $0.blocked() }
            logger.warning("AMQP publishing blocked by broker", metadata: [LogKey.amqpReason: "\(reason)"])
        case ITP_CONNECTION_UNBLOCKED:
            core.handle { $0.unblocked() }
            logger.info("AMQP publishing unblocked")
        default:
            logger.debug("AMQP unexpected method ignored", metadata: [LogKey.amqpMethod: "\(method.id)"])
        }
    }

    /// Reads the header and body frames that follow `basic.deliver`/`basic.return`.
    func readMessage(_ channel: amqp_channel_t) -> (properties: AMQPProperties, body: [UInt8])? {
        guard let connection = live else { return nil }
        var message = amqp_message_t()
        let reply = amqp_read_message(connection, channel, &message, 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            broken = Self.statusError(reply.library_error, "reading message content")
            return nil
        }
        defer { amqp_destroy_message(&message) }
        return (AMQPProperties(message.properties), [UInt8](message.body))
    }
}
