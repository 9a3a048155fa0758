#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One accepted client socket, served on the observability server's thread.
///
/// Every step is bounded (head size, a deadline for the whole head, a send timeout, a short
/// drain before closing) because one slow or hostile client must not stall the only thread
/// that serves `/healthz` to systemd and the scraper.
struct HTTPConnection {
    typealias Limits = ObservabilityServer.Limits

    enum ReadOutcome: Equatable {
        case head(HTTPRequestHead)
        case tooLarge
        case invalid
        case timedOut
        /// The client closed or reset before sending a whole head.
        case closed
    }

    let fd: Int32
    let limits: Limits

    init(fd: Int32, limits: Limits) {
        self.fd = fd
        self.limits = limits
        SystemCall.ignoreSIGPIPE(on: fd)
        var timeout = timeval(
            tv_sec: Int(limits.sendTimeout.components.seconds),
            tv_usec: .init(limits.sendTimeout.components.attoseconds / 1_000_000_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads until the blank line that ends the head, the size limit, or the deadline.
    func readHead() -> ReadOutcome {
        let deadline = ContinuousClock.now.advanced(by: limits.headTimeout)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        while true {
            switch HTTPRequestHead.parse(received) {
            case .complete(let head): return .head(head)
            case .invalid: return .invalid
            case .incomplete: break
            }
            if received.count > limits.maxHeadBytes { return .tooLarge }
            guard waitReadable(until: deadline) else { return .timedOut }
            // Never read past the limit by more than one chunk.
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return .closed }
            received.append(contentsOf: chunk[..<count])
        }
    }

    /// Sends all of `bytes`; gives up silently when the client is gone or stops reading.
    func sendAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, SystemCall.noSignal)
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// Half-closes, reads and discards what the client still sends (briefly), then closes.
    /// Closing with unread input makes the kernel send RST, which can destroy the response
    /// before the client reads it: exactly the case of a rejected oversized head.
    func close() {
        _ = shutdown(fd, Int32(SHUT_WR))
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(500))
        var discarded = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while discarded < 256 * 1024, waitReadable(until: deadline) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            discarded += count
        }
        SystemCall.close(fd)
    }

    private func waitReadable(until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, SystemCall.milliseconds(until: deadline))
            if ready < 0, errno == EINTR { continue }
            return ready > 0
        }
    }
}
