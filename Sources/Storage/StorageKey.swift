/// A validated object key: relative, `/`-separated, no empty, `.` or `..` segments, no
/// NUL or control characters, at most 1024 bytes. A key can never escape the storage root.
public struct StorageKey: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(StorageError) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= 1024 else {
            throw StorageError(.invalidKey, "a storage key must be 1 to 1024 bytes long")
        }
        guard !rawValue.hasPrefix("/") else {
            throw StorageError(.invalidKey, "a storage key must be relative, not start with '/'")
        }
        guard !rawValue.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw StorageError(.invalidKey, "a storage key must not contain NUL or control characters")
        }
        for segment in rawValue.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty, segment != ".", segment != ".." else {
                throw StorageError(.invalidKey, "a storage key must not contain empty, '.' or '..' segments")
            }
        }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}
