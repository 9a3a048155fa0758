internal import CRabbitMQ

/// A synchronous method of the topology API. The I/O loop writes it without waiting and
/// reads its reply among all other frames, so a broker that is slow to answer (a quorum
/// queue declared on a loaded node) never blocks heartbeats, acks or deliveries, and a
/// late answer costs only its caller's deadline, never the connection.
enum RPCRequest: Sendable {
    case declareExchange(name: String, type: String, durable: Bool, autoDelete: Bool, isInternal: Bool, arguments: AMQPTable)
    case deleteExchange(name: String, ifUnused: Bool)
    case declareQueue(name: String, durable: Bool, exclusive: Bool, autoDelete: Bool, arguments: AMQPTable, passive: Bool)
    case bindQueue(name: String, exchange: String, routingKey: String, arguments: AMQPTable)
    case deleteQueue(name: String, ifUnused: Bool, ifEmpty: Bool)
    case purgeQueue(name: String)

    /// The method name, for errors and logs.
    var what: String {
        switch self {
        case .declareExchange: "exchange.declare"
        case .deleteExchange: "exchange.delete"
        case .declareQueue: "queue.declare"
        case .bindQueue: "queue.bind"
        case .deleteQueue: "queue.delete"
        case .purgeQueue: "queue.purge"
        }
    }

    /// The method id of the broker's answer.
    var replyMethod: amqp_method_number_t {
        switch self {
        case .declareExchange: ITP_EXCHANGE_DECLARE_OK
        case .deleteExchange: ITP_EXCHANGE_DELETE_OK
        case .declareQueue: ITP_QUEUE_DECLARE_OK
        case .bindQueue: ITP_QUEUE_BIND_OK
        case .deleteQueue: ITP_QUEUE_DELETE_OK
        case .purgeQueue: ITP_QUEUE_PURGE_OK
        }
    }

    /// Writes the method frame (nowait off: the broker answers). Returns the library status.
    func send(_ connection: amqp_connection_state_t, channel: amqp_channel_t, arena: CArena) -> Int32 {
        func flag(_ value: Bool) -> amqp_boolean_t { value ? 1 : 0 }
        switch self {
        case .declareExchange(let name, let type, let durable, let autoDelete, let isInternal, let arguments):
            var method = amqp_exchange_declare_t(
                ticket: 0, exchange: arena.bytes(name), type: arena.bytes(type), passive: 0, durable: flag(durable),
                auto_delete: flag(autoDelete), internal: flag(isInternal), nowait: 0, arguments: arena.table(arguments))
            return amqp_send_method(connection, channel, ITP_EXCHANGE_DECLARE, &method)
        case .deleteExchange(let name, let ifUnused):
            var method = amqp_exchange_delete_t(ticket: 0, exchange: arena.bytes(name), if_unused: flag(ifUnused), nowait: 0)
            return amqp_send_method(connection, channel, ITP_EXCHANGE_DELETE, &method)
        case .declareQueue(let name, let durable, let exclusive, let autoDelete, let arguments, let passive):
            var method = amqp_queue_declare_t(
                ticket: 0, queue: arena.bytes(name), passive: flag(passive), durable: flag(durable),
                exclusive: flag(exclusive), auto_delete: flag(autoDelete), nowait: 0, arguments: arena.table(arguments))
            return amqp_send_method(connection, channel, ITP_QUEUE_DECLARE, &method)
        case .bindQueue(let name, let exchange, let routingKey, let arguments):
            var method = amqp_queue_bind_t(
                ticket: 0, queue: arena.bytes(name), exchange: arena.bytes(exchange), routing_key: arena.bytes(routingKey),
                nowait: 0, arguments: arena.table(arguments))
            return amqp_send_method(connection, channel, ITP_QUEUE_BIND, &method)
        case .deleteQueue(let name, let ifUnused, let ifEmpty):
            var method = amqp_queue_delete_t(
                ticket: 0, queue: arena.bytes(name), if_unused: flag(ifUnused), if_empty: flag(ifEmpty), nowait: 0)
            return amqp_send_method(connection, channel, ITP_QUEUE_DELETE, &method)
        case .purgeQueue(let name):
            var method = amqp_queue_purge_t(ticket: 0, queue: arena.bytes(name), nowait: 0)
            return amqp_send_method(connection, channel, ITP_QUEUE_PURGE, &method)
        }
    }

    /// Decodes the answer (`decoded` points at the reply method's struct, valid until the
    /// loop releases the connection's buffers).
    func reply(_ decoded: UnsafeMutableRawPointer) -> OperationReply {
        switch self {
        case .declareQueue:
            let ok = decoded.assumingMemoryBound(to: amqp_queue_declare_ok_t.self).pointee
            return .queue(name: String(ok.queue), messageCount: ok.message_count, consumerCount: ok.consumer_count)
        case .deleteQueue:
            return .count(decoded.assumingMemoryBound(to: amqp_queue_delete_ok_t.self).pointee.message_count)
        case .purgeQueue:
            return .count(decoded.assumingMemoryBound(to: amqp_queue_purge_ok_t.self).pointee.message_count)
        case .declareExchange, .deleteExchange, .bindQueue:
            return .none
        }
    }
}
