internal import CRabbitMQ
import Vocabulary

extension IOLoop {
    /// A fresh channel number (consumers, and RPC channels replacing an abandoned one).
    func allocateChannel() -> amqp_channel_t {
        defer { nextChannel += 1 }
        return nextChannel
    }

    /// Opens `channel` if needed; the publish channel also enters confirm mode.
    func ensureChannel(_ channel: amqp_channel_t) throws(AMQPError) {
        guard openChannels[channel] == nil else { return }
        guard let connection = live else { throw broken ?? AMQPError(.connectionLost, detail: "not connected") }
        _ = amqp_channel_open(connection, channel)
        try checkReply(channel: channel, "channel.open")
        openChannels[channel] = nextEpoch
        nextEpoch += 1
        if channel == Self.publishChannel {
            _ = amqp_confirm_select(connection, channel)
            try checkReply(channel: channel, "confirm.select")
        }
    }

    /// Interprets the result of the RPC just made on `channel`. A `channel.close` is
    /// answered and turned into `.channelClosed` with the broker's code and text (the
    /// channel is reopened on next use); anything worse marks the connection broken.
    func checkReply(channel: amqp_channel_t, _ what: String) throws(AMQPError) {
        guard let connection = live else { throw broken ?? AMQPError(.connectionLost, detail: "not connected") }
        let reply = amqp_get_rpc_reply(connection)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == ITP_CHANNEL_CLOSE:
            let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let error = AMQPError(.channelClosed, replyCode: close.reply_code, detail: "\(what): \(String(close.reply_text))")
            acknowledgeChannelClose(channel, error)
            throw error
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == ITP_CONNECTION_CLOSE:
            let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            acknowledgeConnectionClose()
            let error = Self.connectionCloseError(close, what)
            broken = error
            throw error
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            let error = AMQPError(.connectionLost, detail: "\(what): unexpected method \(reply.reply.id)")
            broken = error
            throw error
        default:
            let error = Self.statusError(reply.library_error, what)
            broken = error
            throw error
        }
    }

    /// Answers a broker `channel.close` and forgets the channel.
    func acknowledgeChannelClose(_ channel: amqp_channel_t, _ error: AMQPError) {
        if let connection = live {
            var ok = amqp_channel_close_ok_t(dummy: 0)
            let status = amqp_send_method(connection, channel, ITP_CHANNEL_CLOSE_OK, &ok)
            if status != AMQP_STATUS_OK.rawValue { broken = Self.statusError(status, "channel.close-ok") }
        }
        channelClosed(channel, error)
    }

    func acknowledgeConnectionClose() {
        guard let connection else { return }
        var ok = amqp_connection_close_ok_t(dummy: 0)
        _ = amqp_send_method(connection, 0, ITP_CONNECTION_CLOSE_OK, &ok)
    }

    /// A channel is gone: its unconfirmed publishes fail, its consumer re-subscribes
    /// on a fresh channel (deliveries of the old one become stale).
    func channelClosed(_ channel: amqp_channel_t, _ error: AMQPError) {
        openChannels[channel] = nil
        logger.warning(
            "AMQP channel closed by broker",
            metadata: [LogKey.amqpChannel: "\(channel)", LogKey.amqpError: .error(error)])
        if channel == Self.publishChannel {
            settle(confirms.failAll(error))
        }
        failRPC(onClosedChannel: channel, error)
        for tag in consumers.tags(onChannel: channel) {
            if failSubscription(tag, error) { continue }
            // A re-subscription refused (404 while its queue is missing) backs off.
            consumers.subscriptionRefused(tag, now: .now)
        }
    }
}
