import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PostgresConnection {
    /// Starts listening on `channel` (quoted as an identifier, so any name is safe).
    /// Use a dedicated connection for listening: pooled connections are shared.
    public func listen(_ channel: String) throws {
        try execute("LISTEN \(identifier: channel)")
    }

    /// Stops listening on `channel`.
    public func unlisten(_ channel: String) throws {
        try execute("UNLISTEN \(identifier: channel)")
    }

    /// Sends a notification with `pg_notify`, both arguments bound. Inside a transaction
    /// it is delivered on commit.
    public func notify(_ channel: String, payload: String) throws {
        try execute("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Waits up to `timeout` for notifications and returns all that have arrived; `[]` on
    /// timeout. Notifications that arrived during earlier statements are returned at once.
    public func waitForNotifications(timeout: Duration) throws -> [PostgresNotification] {
        let handle = try openHandle()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let received = try drainNotifications(handle)
            if !received.isEmpty { return received }
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { return [] }
            let socket = PQsocket(handle)
            guard socket >= 0 else {
                throw PostgresError(code: .connectionLost, serverMessage: libpqMessage(PQerrorMessage(handle)))
            }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let status = poll(&descriptor, 1, Self.pollMilliseconds(remaining))
            if status < 0, errno != EINTR {
                throw PostgresError(code: .connectionLost, message: "poll failed with errno \(errno)")
            }
            // Readable, timed out or interrupted: the loop drains and re-checks the deadline.
        }
    }

    /// Reads whatever the socket holds without blocking and returns queued notifications.
    private func drainNotifications(_ handle: OpaquePointer) throws -> [PostgresNotification] {
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(code: .connectionLost, serverMessage: libpqMessage(PQerrorMessage(handle)))
        }
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            defer { PQfreemem(notify) }
            notifications.append(
                PostgresNotification(
                    channel: String(cString: notify.pointee.relname),
                    payload: notify.pointee.extra.map { String(cString: $0) } ?? "",
                    processID: notify.pointee.be_pid))
        }
        return notifications
    }

    /// Rounded up, so a short remaining time does not become a busy loop of zero waits.
    private static func pollMilliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
