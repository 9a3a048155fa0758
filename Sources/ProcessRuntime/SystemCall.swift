#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX details that differ between Glibc and Darwin, kept in one place so the
/// socket code reads the same on both.
enum SystemCall {
    static let stream: Int32 = {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }()

    static let datagram: Int32 = {
        #if canImport(Glibc)
        Int32(SOCK_DGRAM.rawValue)
        #else
        SOCK_DGRAM
        #endif
    }()

    /// `send` flags that turn a write to a closed peer into EPIPE instead of SIGPIPE, which
    /// would kill the daemon. Darwin has no such flag; there ``ignoreSIGPIPE(on:)`` sets the
    /// socket option instead.
    static let noSignal: Int32 = {
        #if canImport(Glibc)
        Int32(MSG_NOSIGNAL)
        #else
        0
        #endif
    }()

    static func ignoreSIGPIPE(on fd: Int32) {
        #if canImport(Darwin)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    static func setCloseOnExec(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
    }

    /// `close(2)`, spelled apart from the `close()` methods of the types here.
    static func close(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    /// Writes all of `bytes` to a blocking descriptor; drops the rest if it fails, because
    /// the callers (log lines to stdout) have nowhere left to report the failure.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Milliseconds left until `deadline`, for `poll` (0 once it has passed).
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
    }
}
