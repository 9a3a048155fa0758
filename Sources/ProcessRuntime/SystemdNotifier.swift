import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sd_notify` without libsystemd: datagrams to `$NOTIFY_SOCKET` that tell systemd about a
/// `Type=notify` unit (`READY=1`, `STOPPING=1`, `STATUS=…`, `WATCHDOG=1`, `MAINPID=…`).
///
/// Without `NOTIFY_SOCKET` (not under systemd, or in a test) every call is a no-op, so
/// daemons call it unconditionally. The environment is read once, at `init`; it is passed
/// in rather than read from the process so tests need not mutate the process environment.
public struct SystemdNotifier: Sendable {
    /// The socket address from `NOTIFY_SOCKET`: a path, or `@name` for the abstract namespace.
    public let socketAddress: String?
    /// How often systemd expects `WATCHDOG=1` (`WATCHDOG_USEC`), or nil when the unit has no
    /// watchdog or the watchdog is meant for another process (`WATCHDOG_PID`).
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    ///
    /// - Parameters:
    ///   - environment: defaults to the process environment.
    ///   - processID: defaults to this process; compared with `WATCHDOG_PID` as
    ///     `sd_watchdog_enabled` does.
    public init(environment: [String: String]? = nil, processID: Int32? = nil) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let processID = processID ?? getpid()
        let socket = environment["NOTIFY_SOCKET"] ?? ""
        self.socketAddress = socket.isEmpty ? nil : socket

        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 {
            interval = .microseconds(usec)
        }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty, Int32(pidText) != processID {
            interval = nil
        }
        self.watchdogInterval = interval
    }

    /// Whether the process runs under a systemd that listens (`NOTIFY_SOCKET` set).
    public var isEnabled: Bool { socketAddress != nil }

    /// `READY=1`: start-up is complete; `systemctl start` returns and dependents start.
    public func ready() throws(ProcessRuntimeError) { try send("READY=1") }

    /// `STOPPING=1`: the process is shutting down gracefully.
    public func stopping() throws(ProcessRuntimeError) { try send("STOPPING=1") }

    /// `WATCHDOG=1`: the process is alive; resets the unit's watchdog timer.
    public func watchdog() throws(ProcessRuntimeError) { try send("WATCHDOG=1") }

    /// `STATUS=…`: a one-line status shown by `systemctl status`.
    public func status(_ text: String) throws(ProcessRuntimeError) {
        // A newline would start a new assignment in the datagram.
        try send("STATUS=" + text.replacingOccurrences(of: "\n", with: " "))
    }

    /// `MAINPID=…`: the main process when it is not the one systemd started.
    public func mainPID(_ pid: Int32) throws(ProcessRuntimeError) { try send("MAINPID=\(pid)") }

    /// Sends `state`, newline-separated `NAME=value` assignments, as one datagram.
    public func send(_ state: String) throws(ProcessRuntimeError) {
        guard let socketAddress else { return }
        var (address, length) = try Self.unixAddress(socketAddress)
        let fd = socket(AF_UNIX, SystemCall.datagram, 0)
        guard fd >= 0 else {
            throw ProcessRuntimeError(.notifyFailed, detail: "cannot create a socket for NOTIFY_SOCKET", errno: errno)
        }
        defer { SystemCall.close(fd) }
        SystemCall.setCloseOnExec(fd)
        let bytes = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, SystemCall.noSignal, sockaddrPointer, length) }
            }
        }
        guard sent == bytes.count else {
            throw ProcessRuntimeError(.notifyFailed, detail: "cannot notify systemd at NOTIFY_SOCKET=\(socketAddress)", errno: errno)
        }
    }

    /// A `sockaddr_un` for a path, or for `@name` in the abstract namespace (leading NUL,
    /// and a length that covers the name only, as systemd binds it).
    static func unixAddress(_ text: String) throws(ProcessRuntimeError) -> (sockaddr_un, socklen_t) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let abstract = text.hasPrefix("@")
        var path = Array(text.utf8)
        if abstract { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard text.hasPrefix("/") || abstract, path.count < capacity else {
            throw ProcessRuntimeError(
                .notifyFailed, detail: "NOTIFY_SOCKET=\(text) is not an absolute path or @name that fits a unix socket address")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        // A path is NUL-terminated (the zeroed struct provides it); an abstract name is not.
        let length = pathOffset + path.count + (abstract ? 0 : 1)
        return (address, socklen_t(length))
    }
}
