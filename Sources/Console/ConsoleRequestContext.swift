public import Hummingbird

/// The console's request context: Hummingbird's storage, the signed-in operator (from the
/// console's own session cookie; nil before sign-in) and the peer's address.
public struct ConsoleRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var signedIn: SignedInOperator?
    let peerAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress ?? ""
    }
}
