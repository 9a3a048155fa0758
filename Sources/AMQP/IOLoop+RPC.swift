internal import CRabbitMQ
import Vocabulary

/// The topology method written on the RPC channel and not yet answered.
struct InFlightRPC {
    var operation: UInt64
    var request: RPCRequest
    var channel: amqp_channel_t
    var sentAt: ContinuousClock.Instant
}

extension IOLoop {
    /// Queues a topology method. One is in flight at a time on the RPC channel (AMQP
    /// answers synchronous methods of a channel in order, one after the other); the rest
    /// wait here, across reconnects, until their caller's deadline.
    func enqueueRPC(_ request: RPCRequest, operation: UInt64) {
        guard core.isPending(operation) else { return }
        rpcBacklog.append((operation, request))
        sendNextRPC()
    }

    /// Writes the next queued method whose caller still waits, if none is in flight. The
    /// RPC channel itself is opened the same way, without waiting (``rpcChannelOpened``).
    func sendNextRPC() {
        while rpcInFlight == nil, broken == nil, let connection = live, !rpcBacklog.isEmpty {
            guard openChannels[rpcChannel] != nil else {
                openRPCChannel(connection)
                return
            }
            let (operation, request) = rpcBacklog.removeFirst()
            guard core.isPending(operation) else { continue }
            do throws(AMQPError) {
                let status = request.send(connection, channel: rpcChannel, arena: CArena())
                guard status == AMQP_STATUS_OK.rawValue else {
                    let error = Self.statusError(status, request.what)
                    broken = error
                    throw error
                }
                rpcInFlight = InFlightRPC(operation: operation, request: request, channel: rpcChannel, sentAt: .now)
            } catch {
                core.complete(operation, .failure(error))
            }
        }
    }

    private func openRPCChannel(_ connection: amqp_connection_state_t) {
        guard rpcChannelOpenSentAt == nil else { return }
        var open = amqp_channel_open_t(out_of_band: amqp_empty_bytes)
        let status = amqp_send_method(connection, rpcChannel, ITP_CHANNEL_OPEN, &open)
        guard status == AMQP_STATUS_OK.rawValue else {
            broken = Self.statusError(status, "channel.open")
            return
        }
        rpcChannelOpenSentAt = .now
    }

    /// The broker's answer on the RPC channel (open-ok, or the reply to the method in
    /// flight), if `frame` is it.
    func answerRPC(method: amqp_method_t, channel: amqp_channel_t) -> Bool {
        if method.id == ITP_CHANNEL_OPEN_OK, channel == rpcChannel, rpcChannelOpenSentAt != nil {
            rpcChannelOpenSentAt = nil
            openChannels[channel] = nextEpoch
            nextEpoch += 1
            sendNextRPC()
            return true
        }
        guard let inFlight = rpcInFlight, channel == inFlight.channel, method.id == inFlight.request.replyMethod else {
            return false
        }
        rpcInFlight = nil
        core.complete(inFlight.operation, .success(inFlight.request.reply(method.decoded)))
        return true
    }

    /// The broker closed the channel of the method in flight (404, 406, …): that method
    /// failed with the broker's code and text; the channel is reopened for the next one.
    func failRPC(onClosedChannel channel: amqp_channel_t, _ error: AMQPError) {
        if channel == rpcChannel { rpcChannelOpenSentAt = nil }
        guard let inFlight = rpcInFlight, inFlight.channel == channel else { return }
        rpcInFlight = nil
        core.complete(
            inFlight.operation,
            .failure(AMQPError(error.code, replyCode: error.replyCode, detail: "\(inFlight.request.what): \(error.detail)")))
    }

    /// The connection is gone: whether the method in flight took effect is unknown.
    func failRPCInFlight(_ error: AMQPError) {
        guard let inFlight = rpcInFlight else { return }
        rpcInFlight = nil
        core.complete(inFlight.operation, .failure(error))
    }

    /// A broker that still answers heartbeats but not this method for a whole operation
    /// timeout (its caller has given up by then): the channel is closed and a fresh one
    /// serves the methods queued behind it, so one stuck answer never holds the rest,
    /// and the connection, its consumers and its confirms are left alone.
    func abandonStuckRPC(now: ContinuousClock.Instant) {
        guard let since = rpcInFlight?.sentAt ?? rpcChannelOpenSentAt, now - since > configuration.operationTimeout,
            let connection = live
        else { return }
        let what = rpcInFlight?.request.what ?? "channel.open"
        if let inFlight = rpcInFlight {
            core.complete(inFlight.operation, .failure(AMQPError(.operationTimeout, detail: "\(what) did not complete in time")))
        }
        rpcInFlight = nil
        rpcChannelOpenSentAt = nil
        let arena = CArena()
        var close = amqp_channel_close_t(
            reply_code: UInt16(AMQP_REPLY_SUCCESS), reply_text: arena.bytes("abandoned"), class_id: 0, method_id: 0)
        let status = amqp_send_method(connection, rpcChannel, ITP_CHANNEL_CLOSE, &close)
        if status != AMQP_STATUS_OK.rawValue {
            broken = Self.statusError(status, "channel.close")
            return
        }
        openChannels[rpcChannel] = nil
        // A late answer on the abandoned channel matches nothing and is ignored.
        rpcChannel = allocateChannel()
        logger.warning(
            "AMQP broker did not answer in time; RPC channel replaced",
            metadata: [LogKey.amqpMethod: "\(what)", LogKey.amqpChannel: "\(rpcChannel)"])
    }
}
