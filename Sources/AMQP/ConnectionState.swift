/// Where a connection is in its life. Readiness is `.connected`.
public enum ConnectionState: Sendable, Equatable {
    /// Opening the socket and logging in (first time or after a loss).
    case connecting
    /// Logged in; channels and consumers are (being) re-established.
    case connected
    /// Lost; a reconnect is scheduled with backoff.
    case disconnected(AMQPError)
    /// Closed by its owner; final.
    case closed
}
