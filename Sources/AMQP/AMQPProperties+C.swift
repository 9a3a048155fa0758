internal import CRabbitMQ

extension AMQPProperties {
    /// Reads the properties of a received message (library-owned memory; copied out).
    init(_ raw: amqp_basic_properties_t) {
        func has(_ flag: amqp_flags_t) -> Bool { raw._flags & flag != 0 }
        self.init(deliveryMode: has(ITP_FLAG_DELIVERY_MODE) ? raw.delivery_mode : 1)
        if has(ITP_FLAG_CONTENT_TYPE) { contentType = String(raw.content_type) }
        if has(ITP_FLAG_MESSAGE_ID) { messageID = String(raw.message_id) }
        if has(ITP_FLAG_CORRELATION_ID) { correlationID = String(raw.correlation_id) }
        if has(ITP_FLAG_TYPE) { type = String(raw.type) }
        if has(ITP_FLAG_HEADERS) { headers = AMQPTable(raw.headers) }
        if has(ITP_FLAG_EXPIRATION) { expiration = String(raw.expiration) }
        if has(ITP_FLAG_TIMESTAMP) { timestamp = raw.timestamp }
    }

    /// Builds the C properties for a publish; the strings live in `arena`.
    func encoded(in arena: CArena) -> amqp_basic_properties_t {
        var raw = amqp_basic_properties_t()
        raw._flags = ITP_FLAG_DELIVERY_MODE
        raw.delivery_mode = deliveryMode
        func set(_ value: String?, _ flag: amqp_flags_t, _ field: WritableKeyPath<amqp_basic_properties_t, amqp_bytes_t>) {
            guard let value else { return }
            raw._flags |= flag
            raw[keyPath: field] = arena.bytes(value)
        }
        set(contentType, ITP_FLAG_CONTENT_TYPE, \.content_type)
        set(messageID, ITP_FLAG_MESSAGE_ID, \.message_id)
        set(correlationID, ITP_FLAG_CORRELATION_ID, \.correlation_id)
        set(type, ITP_FLAG_TYPE, \.type)
        set(expiration, ITP_FLAG_EXPIRATION, \.expiration)
        if !headers.isEmpty {
            raw._flags |= ITP_FLAG_HEADERS
            raw.headers = arena.table(headers)
        }
        if let timestamp {
            raw._flags |= ITP_FLAG_TIMESTAMP
            raw.timestamp = timestamp
        }
        return raw
    }
}
