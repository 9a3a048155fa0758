import Settings
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bound, listening TCP socket plus a wake pipe, owned by one ``ObservabilityServer``.
///
/// The accept loop blocks in `poll` on both descriptors; ``wake()`` (from any thread) makes
/// it return so shutdown never depends on a client connecting. The descriptors are closed
/// once, by ``close()`` after the loop has exited, or in `deinit` if it never ran.
final class ListeningSocket: Sendable {
    let fd: Int32
    /// The address actually bound: the requested host with the kernel's port when 0 was asked.
    let address: HostPort
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let closed = Mutex(false)

    init(binding requested: HostPort) throws(ProcessRuntimeError) {
        func failure(_ what: String, _ code: Int32? = nil) -> ProcessRuntimeError {
            ProcessRuntimeError(.bindFailed, detail: "cannot listen on \(requested) (ITP_OBSERVABILITY_ADDR): \(what)", errno: code)
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = SystemCall.stream
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(requested.host, String(requested.port), &hints, &list)
        guard status == 0, let first = list else {
            throw failure("cannot resolve the host (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(list) }

        // Take the first address that binds (for `localhost` that may be ::1 or 127.0.0.1).
        var lastErrno: Int32 = 0
        var bound: Int32 = -1
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate, bound < 0 {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastErrno = errno; continue }
            SystemCall.setCloseOnExec(fd)
            // A restarted daemon must rebind at once even while old connections sit in TIME_WAIT.
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(fd, 16) == 0 {
                bound = fd
            } else {
                lastErrno = errno
                SystemCall.close(fd)
            }
        }
        guard bound >= 0 else { throw failure("bind failed", lastErrno) }

        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            let code = errno
            SystemCall.close(bound)
            throw failure("cannot create the wake pipe", code)
        }
        pipeFDs.forEach(SystemCall.setCloseOnExec)
        self.fd = bound
        self.wakeRead = pipeFDs[0]
        self.wakeWrite = pipeFDs[1]
        self.address = HostPort(host: requested.host, port: Self.boundPort(bound) ?? requested.port)
    }

    deinit { close() }

    /// What the accept loop should do next.
    enum Event {
        case connection(Int32)
        case woken
        /// A transient accept failure (EMFILE, ECONNABORTED…): try again.
        case retry(errno: Int32)
        case failed(errno: Int32)
    }

    /// Blocks until a client connects or ``wake()`` is called.
    func next() -> Event {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&fds, nfds_t(fds.count), -1)
        if ready < 0 { return errno == EINTR ? .retry(errno: EINTR) : .failed(errno: errno) }
        if fds[1].revents != 0 { return .woken }
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return .retry(errno: errno) }
        SystemCall.setCloseOnExec(client)
        return .connection(client)
    }

    /// Makes a blocked or future ``next()`` return ``Event/woken``. Safe from any thread, any number of times.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    func close() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        for descriptor in [fd, wakeRead, wakeWrite] { SystemCall.close(descriptor) }
    }

    private static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { return nil }
        return withUnsafePointer(to: &storage) { pointer in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            case AF_INET6:
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            default:
                nil
            }
        }
    }
}
