import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The systemd side of `sd_notify` for tests: a unix datagram socket the test binds itself
/// (FIELD-NOTES.md, systemd), in a fresh directory or in the abstract namespace.
public final class NotifySocket: @unchecked Sendable {
    // @unchecked: the descriptor is only read from, and each test uses its socket from one task.
    public let address: String
    private let fd: Int32
    private let directory: String?

    /// Binds a socket at a new path under the temporary directory, or at `@name` when `abstract`.
    public init(abstract: Bool = false) throws {
        let name = uniqueName("notify")
        if abstract {
            directory = nil
            address = "@itp-test-\(name)"
        } else {
            let dir = "/tmp/\(name)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            directory = dir
            address = "\(dir)/notify.sock"
        }
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestEnvironmentError("socket: errno \(errno)") }
        var (sockaddr, length) = try Self.unixAddress(address)
        let status = withUnsafePointer(to: &sockaddr) {
            $0.withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard status == 0 else { throw TestEnvironmentError("bind \(address): errno \(errno)") }
    }

    deinit {
        close(fd)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The environment a systemd unit would pass.
    public func environment(watchdogUSec: UInt64? = nil) -> [String: String] {
        var environment = ["NOTIFY_SOCKET": address]
        if let watchdogUSec { environment["WATCHDOG_USEC"] = String(watchdogUSec) }
        return environment
    }

    /// The next datagram, waiting up to `timeout` for it. Blocking: use it with a zero
    /// timeout, or from ``receive(until:timeout:)``.
    public func receive(timeout: Duration) -> String? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Every datagram already queued, without waiting.
    public func drain() -> [String] {
        var messages: [String] = []
        while let message = receive(timeout: .zero) { messages.append(message) }
        return messages
    }

    /// Receives (off the cooperative pool) until a datagram satisfies `predicate`; returns
    /// everything received, in order, ending with the match.
    public func receive(until predicate: @escaping @Sendable (String) -> Bool, timeout: Duration = .seconds(60)) async throws -> [String] {
        try await offPool { try self.receiveBlocking(until: predicate, timeout: timeout) }
    }

    private func receiveBlocking(until predicate: (String) -> Bool, timeout: Duration) throws -> [String] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var messages: [String] = []
        while ContinuousClock.now < deadline {
            guard let message = receive(timeout: .milliseconds(100)) else { continue }
            messages.append(message)
            if predicate(message) { return messages }
        }
        throw TestEnvironmentError("no matching datagram within \(timeout); got \(messages)")
    }

    /// A `sockaddr_un` for a path, or for `@name` in the abstract namespace (leading NUL,
    /// length covering the name only), as systemd's `NOTIFY_SOCKET` names them.
    private static func unixAddress(_ text: String) throws -> (sockaddr_un, socklen_t) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw TestEnvironmentError("socket path too long: \(text)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1)
        return (address, socklen_t(length))
    }
}
