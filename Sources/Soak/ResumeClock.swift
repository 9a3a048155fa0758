import Foundation
import Postgres
import Synchronization

/// How long the fleet took to resume after each cluster fault. From the moment of the fault
/// (the kill, the graceful stop, the SIGSTOP), it watches `job_attempts` for the first job
/// attempt that started after the fault and committed successfully:
/// - within the fault's scope — the workers that were connected to the node (their pids,
///   `jobs.worker` is `host/pid`), or the queue whose quorum leader was killed — "affected";
/// - anywhere in the fleet — "fleet".
///
/// A scope with no work waiting resumes late only because nothing came to it: the affected
/// figure is an upper bound of the broker recovery, read beside the fleet figure.
final class ResumeClock: Sendable {
    enum Scope: Sendable, CustomStringConvertible {
        case workers([Int32])
        case queue(String)
        case fleet

        var description: String {
            switch self {
            case .workers(let pids): "workers " + pids.map(String.init).joined(separator: ",")
            case .queue(let name): "queue \(name)"
            case .fleet: "the fleet"
            }
        }
    }

    struct Measurement: Sendable {
        var affected: Double
        var fleet: Double
    }

    private struct Pending {
        var kind: FaultKind
        var scope: Scope
        var at: Date
        var fleet: Double?
    }

    private struct State {
        var running = true
        var pending: [Pending] = []
        var measured: [FaultKind: [Measurement]] = [:]
    }

    private let conninfo: String
    private let state = Mutex(State())

    init(conninfo: String) { self.conninfo = conninfo }

    func start(_ kind: FaultKind, scope: Scope, at: Date) {
        state.withLock { $0.pending.append(Pending(kind: kind, scope: scope, at: at)) }
    }

    func stop() { state.withLock { $0.running = false } }

    /// Polls once a second until ``stop()``. A Postgres outage (an injected crash) only
    /// delays the answer: the timestamps are the commits' own.
    func run() async {
        var connection: PostgresConnection?
        while state.withLock({ $0.running }), !Task.isCancelled {
            let pending = state.withLock { $0.pending }
            if !pending.isEmpty {
                if connection == nil { connection = try? PostgresConnection.connect(conninfo) }
                if let open = connection {
                    do {
                        try measure(pending, on: open)
                    } catch {
                        open.close()
                        connection = nil
                    }
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
        connection?.close()
    }

    private func measure(_ pending: [Pending], on connection: PostgresConnection) throws {
        for item in pending {
            var pids: [String] = []
            var queue = ""
            switch item.scope {
            case .workers(let list): pids = list.map(String.init)
            case .queue(let name): queue = name
            case .fleet: break
            }
            let row = try connection.query("""
                SELECT min(a.finished_at) FILTER (
                           WHERE (cardinality(\(pids)::text[]) = 0 OR split_part(a.worker, '/', 2) = ANY(\(pids)::text[]))
                             AND (\(queue) = '' OR j.queue = \(queue))) AS affected,
                       min(a.finished_at) AS fleet
                FROM job_attempts a JOIN jobs j ON j.id = a.job_id
                WHERE a.outcome = 'succeeded' AND a.started_at > \(item.at)
                """)[0]
            let affected = try row.decode(Date?.self, column: "affected")
            let fleet = try row.decode(Date?.self, column: "fleet")
            state.withLock { state in
                guard let index = state.pending.firstIndex(where: { $0.at == item.at && $0.kind == item.kind }) else { return }
                if let fleet, state.pending[index].fleet == nil { state.pending[index].fleet = fleet.timeIntervalSince(item.at) }
                guard let affected else { return }
                let measurement = Measurement(
                    affected: affected.timeIntervalSince(item.at), fleet: state.pending[index].fleet ?? affected.timeIntervalSince(item.at))
                state.measured[item.kind, default: []].append(measurement)
                state.pending.remove(at: index)
            }
        }
    }

    /// One line per cluster fault kind injected: count, affected and fleet resume times
    /// (min / median / max), and faults whose scope had not resumed when the run ended.
    var summary: [String] {
        state.withLock { state in
            FaultKind.timed.compactMap { kind in
                let measured = state.measured[kind] ?? []
                let open = state.pending.filter { $0.kind == kind }.count
                guard !measured.isEmpty || open > 0 else { return nil }
                var line = "resume after \(kind.rawValue): \(measured.count + open) faults"
                if !measured.isEmpty {
                    line += "; affected scope resumed after \(Self.spread(measured.map(\.affected)))"
                    line += "; fleet's first fresh commit after \(Self.spread(measured.map(\.fleet)))"
                }
                if open > 0 { line += "; \(open) not resumed when the run ended" }
                return line
            }
        }
    }

    static func spread(_ values: [Double]) -> String {
        let sorted = values.sorted()
        let median = sorted[sorted.count / 2]
        return String(format: "%.1f / %.1f / %.1f s (min / median / max)", sorted[0], median, sorted[sorted.count - 1])
    }

    /// Measured resume times per kind (the test asserts that each kind resumed).
    var measuredCounts: [FaultKind: Int] { state.withLock { $0.measured.mapValues(\.count) } }
}
