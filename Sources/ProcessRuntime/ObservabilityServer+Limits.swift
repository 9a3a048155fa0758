extension ObservabilityServer {
    /// Bounds on one client of the observability server: what it may send and how long it may take.
    public struct Limits: Sendable {
        /// Largest accepted request head (request line and headers); larger heads get 431.
        public var maxHeadBytes: Int
        /// Time allowed for the whole head to arrive, however slowly it trickles in; then 408.
        public var headTimeout: Duration
        /// Time allowed for one blocked `send` of the response to a client that does not read.
        public var sendTimeout: Duration

        public init(maxHeadBytes: Int = 8 * 1024, headTimeout: Duration = .seconds(5), sendTimeout: Duration = .seconds(5)) {
            self.maxHeadBytes = maxHeadBytes
            self.headTimeout = headTimeout
            self.sendTimeout = sendTimeout
        }
    }
}
