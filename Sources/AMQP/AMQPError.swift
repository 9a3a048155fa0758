/// The one error type of the AMQP module.
///
/// `description` is generic so that logs and HTTP bodies never leak message data; the
/// broker's reply code and text, or the library's status, are in ``debugDescription``.
public struct AMQPError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong. Extensible: new codes may be added in minor releases.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionLost, connectTimeout, authenticationFailed, confirmTimeout, operationTimeout
            case nacked, unroutable, channelClosed, connectionBlocked, staleDelivery, closed
            case invalidURL, invalidArgument, cancelled, tlsFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection broke (socket error, heartbeat timeout, broker `connection.close`).
        /// Unconfirmed publishes must be republished; effects must be idempotent.
        public static let connectionLost = Code(.connectionLost)
        /// No connection could be established within the connect timeout.
        public static let connectTimeout = Code(.connectTimeout)
        /// The broker refused the credentials or the vhost (reply code 403 / 530).
        public static let authenticationFailed = Code(.authenticationFailed)
        /// A publish was not confirmed before its deadline. It may or may not have arrived.
        public static let confirmTimeout = Code(.confirmTimeout)
        /// A non-publish operation did not complete before its deadline.
        public static let operationTimeout = Code(.operationTimeout)
        /// The broker answered `basic.nack`: it did not take responsibility for the message.
        public static let nacked = Code(.nacked)
        /// A mandatory publish matched no queue (`basic.return`).
        public static let unroutable = Code(.unroutable)
        /// The broker closed a channel (`replyCode` says why: 404, 406, 403, …).
        public static let channelClosed = Code(.channelClosed)
        /// The broker blocked publishing (resource alarm); try again later.
        public static let connectionBlocked = Code(.connectionBlocked)
        /// An ack/nack for a delivery of an earlier connection or channel: the broker has
        /// already requeued it and will redeliver.
        public static let staleDelivery = Code(.staleDelivery)
        /// The connection was closed by its owner.
        public static let closed = Code(.closed)
        /// TLS could not be set up with the configured files, or the broker's certificate did
        /// not verify (its chain or the host name): a setting to fix, not an outage.
        public static let tlsFailed = Code(.tlsFailed)
        /// The AMQP URL could not be parsed.
        public static let invalidURL = Code(.invalidURL)
        /// An argument was rejected before reaching the broker.
        public static let invalidArgument = Code(.invalidArgument)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The broker's reply code for `channel.close` / `connection.close` errors.
    public var replyCode: UInt16?
    /// The broker's reply text or the library's explanation. May contain names; log it, do
    /// not show it to end users.
    public var detail: String

    public init(_ code: Code, replyCode: UInt16? = nil, detail: String = "") {
        self.code = code
        self.replyCode = replyCode
        self.detail = detail
    }

    /// Whether trying the same operation again (after a reconnect, later) can succeed.
    public var isRetriable: Bool {
        switch code {
        case .connectionLost, .connectTimeout, .confirmTimeout, .operationTimeout, .nacked, .connectionBlocked,
            .staleDelivery:
            return true
        case .channelClosed:
            // 404/406/403/405 describe the request; 320/504/506/541 are broker-side trouble.
            guard let replyCode else { return true }
            return ![403, 404, 405, 406].contains(replyCode)
        default:
            return false
        }
    }

    /// Whether the error concerns this whole connection rather than one request.
    public var isFatal: Bool {
        code == .closed || code == .authenticationFailed || code == .invalidURL || code == .tlsFailed
    }

    public var description: String { "AMQPError.\(code)" }

    public var debugDescription: String {
        var text = "AMQPError.\(code)"
        if let replyCode { text += " (\(replyCode))" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
