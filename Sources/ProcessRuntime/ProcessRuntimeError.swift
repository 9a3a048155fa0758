/// The one error type of the ProcessRuntime module.
///
/// The description names what failed and where (an address, a socket path): these are the
/// daemon's own settings, which an operator needs to see at boot, never request data.
public struct ProcessRuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong. Extensible: new codes may be added in minor releases.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case bindFailed, serverFailed, notifyFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The observability server could not listen on its address (in use, not local, bad host).
        public static let bindFailed = Code(.bindFailed)
        /// The observability server's accept loop failed and stopped serving.
        public static let serverFailed = Code(.serverFailed)
        /// A datagram to `NOTIFY_SOCKET` could not be sent.
        public static let notifyFailed = Code(.notifyFailed)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The operator-facing explanation, naming the address or socket involved.
    public var detail: String
    /// `errno` of the failing system call, when there was one.
    public var errno: Int32?

    public init(_ code: Code, detail: String, errno: Int32? = nil) {
        self.code = code
        self.detail = detail
        self.errno = errno
    }

    public var description: String {
        guard let errno else { return detail }
        return "\(detail): \(SystemCall.errorText(errno))"
    }
}
