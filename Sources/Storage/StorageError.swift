import Foundation

/// A storage failure, classified for the job runtime.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }
        public static let invalidKey = Code(name: "invalid_key")
        public static let notFound = Code(name: "not_found")
        /// Worth retrying (I/O error, timeout, 5xx).
        public static let unavailable = Code(name: "unavailable")
        /// Retrying cannot help (permissions, bad configuration).
        public static let rejected = Code(name: "rejected")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var isRetriable: Bool { code == .unavailable }

    /// A failed system call, in the system's words: `cannot write …: No space left on
    /// device`, never `errno 28`. Classified `unavailable` (a full disk may be freed).
    public static func system(_ what: String, errno code: Int32) -> StorageError {
        StorageError(.unavailable, "\(what): \(String(cString: strerror(code)))")
    }
    public var description: String { "storage \(code): \(message)" }
}
