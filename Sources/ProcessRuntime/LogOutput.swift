import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a ``LogfmtLogHandler`` writes its lines: standard output (journald), or a buffer in
/// tests. Each line is written whole under one lock, so records from different threads never
/// interleave mid-line.
public final class LogOutput: Sendable {
    private enum Sink {
        case standardOutput
        case buffer([String])
    }

    private let sink: Mutex<Sink>

    private init(_ sink: Sink) {
        self.sink = Mutex(sink)
    }

    /// The process's standard output, unbuffered: a line is in the journal before the next
    /// statement runs, even if the process then crashes. One shared instance, so that all
    /// loggers write under the same lock.
    public static let standardOutput = LogOutput(.standardOutput)

    /// An in-memory sink; read it with ``lines``.
    public static func buffer() -> LogOutput { LogOutput(.buffer([])) }

    /// The lines written so far to a ``buffer()`` sink (without their newlines).
    public var lines: [String] {
        sink.withLock { sink in
            guard case .buffer(let lines) = sink else { return [] }
            return lines
        }
    }

    /// Writes `line` plus a newline.
    public func write(line: String) {
        sink.withLock { sink in
            switch sink {
            case .standardOutput:
                var bytes = Array(line.utf8)
                bytes.append(UInt8(ascii: "\n"))
                SystemCall.writeAll(bytes, to: STDOUT_FILENO)
            case .buffer(var lines):
                lines.append(line)
                sink = .buffer(lines)
            }
        }
    }
}
