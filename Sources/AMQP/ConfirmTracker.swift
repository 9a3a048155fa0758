/// Publisher-confirm bookkeeping for one confirm-mode channel, without I/O.
///
/// Sequence numbers start at 1 when the channel enters confirm mode and count every
/// `basic.publish`. `basic.ack`/`basic.nack` carry the highest sequence number they
/// settle (`multiple`) or one number. A mandatory, unroutable message is answered by
/// `basic.return` *before* its `basic.ack`; the return names no sequence number, so it
/// marks the oldest unconfirmed publish with the same exchange, routing key and body,
/// whose following ack then settles as `.unroutable`.
struct ConfirmTracker<Token: Sendable> {
    typealias Outcome = (token: Token, result: Result<Void, AMQPError>)

    private struct Entry {
        var sequence: UInt64
        var token: Token
        var exchange: String
        var routingKey: String
        var body: [UInt8]
        var returned: AMQPError?
    }

    /// The sequence number the next publish will get.
    private(set) var nextSequence: UInt64 = 1
    /// Ordered by sequence number.
    private var unconfirmed: [Entry] = []

    var count: Int { unconfirmed.count }

    /// Records a publish about to be written; returns its sequence number.
    @discardableResult
    mutating func published(_ token: Token, exchange: String, routingKey: String, body: [UInt8]) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        unconfirmed.append(Entry(sequence: sequence, token: token, exchange: exchange, routingKey: routingKey, body: body))
        return sequence
    }

    /// A `basic.return` arrived. Returns false if no unconfirmed publish matches.
    @discardableResult
    mutating func returned(exchange: String, routingKey: String, body: [UInt8], replyCode: UInt16, replyText: String) -> Bool {
        guard let index = unconfirmed.firstIndex(where: {
            $0.returned == nil && $0.exchange == exchange && $0.routingKey == routingKey && $0.body == body
        }) else { return false }
        unconfirmed[index].returned = AMQPError(
            .unroutable, replyCode: replyCode,
            detail: "\(replyText): exchange '\(exchange)' routing key '\(routingKey)'")
        return true
    }

    /// A `basic.ack`: settles successfully, unless returned earlier.
    mutating func acked(_ tag: UInt64, multiple: Bool) -> [Outcome] {
        settle(tag, multiple: multiple) { $0.returned.map { .failure($0) } ?? .success(()) }
    }

    /// A `basic.nack`: the broker could not take the message.
    mutating func nacked(_ tag: UInt64, multiple: Bool) -> [Outcome] {
        settle(tag, multiple: multiple) { _ in .failure(AMQPError(.nacked, detail: "broker nacked the publish")) }
    }

    /// The channel or connection is gone: every unconfirmed publish fails, and the next
    /// confirm-mode channel starts again at 1.
    mutating func failAll(_ error: AMQPError) -> [Outcome] {
        let outcomes = unconfirmed.map { ($0.token, Result<Void, AMQPError>.failure(error)) }
        unconfirmed.removeAll()
        nextSequence = 1
        return outcomes
    }

    private mutating func settle(_ tag: UInt64, multiple: Bool, _ result: (Entry) -> Result<Void, AMQPError>) -> [Outcome] {
        if multiple {
            let end = unconfirmed.firstIndex { $0.sequence > tag } ?? unconfirmed.endIndex
            let settled = unconfirmed[..<end].map { ($0.token, result($0)) }
            unconfirmed.removeSubrange(..<end)
            return settled
        }
        guard let index = unconfirmed.firstIndex(where: { $0.sequence == tag }) else { return [] }
        let entry = unconfirmed.remove(at: index)
        return [(entry.token, result(entry))]
    }
}
