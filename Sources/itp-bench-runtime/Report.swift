import Foundation

/// The printed figures: one row per scenario as it finishes, then the ratios.
struct Report {
    var settings: ScenarioSettings
    var rounds: Int
    var target: Double

    func printHeader() {
        emit("== itp-bench-runtime: job runtime vs consume-insert-ack baseline ==")
        emit("machine: \(MachineFacts.processors) processors, load average at start \(MachineFacts.loadAverage)")
        emit("settings: \(settings.items) jobs per scenario, prefetch \(settings.prefetch) per process, "
            + "baseline \(settings.baselineDatabaseConnections) Postgres connections per consumer, \(rounds) round(s)")
        emit("  runtime: plain canary jobs that arrive while others commit share one transaction, up to "
            + "\(settings.inlineBatchLimit) (--inline-batch-limit; 1 = one transaction per job, as the baseline)")
        emit("clock: spawn of the processes -> last job succeeded / last inbox row (database timestamps).")
        emit("  runtime: its relays publish the enqueued jobs inside the clock; runtime-pre: outbox published before")
        emit("  the clock, like the baseline's messages; enqueueing is outside the clock in both.")
        emit("")
        emit(pad("mode", 12) + lpad("procs", 6) + lpad("jobs", 7) + lpad("seconds", 9) + lpad("jobs/s", 9)
            + "  |" + lpad("startup_s", 10) + lpad("steady/s", 10) + lpad("relayed_s", 10) + lpad("redeliv", 8))
    }

    func printRow(_ m: Measurement) {
        var line = pad(m.mode.rawValue, 12) + lpad("\(m.processes)", 6) + lpad("\(m.expected)", 7)
            + lpad(m.failure == nil ? fixed(m.seconds, 2) : "-", 9) + lpad(m.perSecond.map { fixed($0, 0) } ?? "-", 9) + "  |"
            + lpad(m.startupSeconds.map { fixed($0, 2) } ?? "-", 10)
            + lpad(m.steadyPerSecond.map { fixed($0, 0) } ?? "-", 10)
            + lpad(m.relayDoneSeconds.map { fixed($0, 2) } ?? "-", 10)
            + lpad(m.extraAttempts.map { "\($0)" } ?? "-", 8)
        if rounds > 1 { line += "   round \(m.round)" }
        emit(line)
        if let failure = m.failure { emit("  FAILED: \(failure)") }
    }

    func printSummary(_ results: [Measurement], enqueues: [RuntimeScenario.Enqueued], workerCounts: [Int]) {
        emit("")
        if !enqueues.isEmpty {
            let jobs = enqueues.map(\.jobs).reduce(0, +)
            let seconds = enqueues.map(\.seconds).reduce(0, +)
            emit("enqueue (outside the clock): \(fixed(Double(jobs) / seconds, 0)) jobs/s "
                + "(job row + outbox row, 500 jobs per transaction, one connection)")
        }
        func rate(_ mode: Measurement.Mode, _ count: Int, _ figure: (Measurement) -> Double?) -> Double? {
            median(results.filter { $0.mode == mode && $0.processes == count }.compactMap(figure))
        }
        emit("ratio runtime/baseline, jobs/s\(rounds > 1 ? " (median of \(rounds) rounds)" : ""); target >= \(fixed(target, 2)):")
        for count in workerCounts {
            let label = "  \(count) worker\(count == 1 ? " " : "s"):"
            guard let runtime = rate(.runtime, count, \.perSecond), let baseline = rate(.baseline, count, \.perSecond) else {
                emit("\(label) no figure (a scenario failed)")
                continue
            }
            let ratio = runtime / baseline
            var line = "\(label) \(fixed(runtime, 0)) / \(fixed(baseline, 0)) = \(fixed(ratio, 2))  \(ratio >= target ? "PASS" : "MISS")"
            var extras: [String] = []
            if let steadyRuntime = rate(.runtime, count, \.steadyPerSecond), let steadyBaseline = rate(.baseline, count, \.steadyPerSecond) {
                extras.append("steady \(fixed(steadyRuntime / steadyBaseline, 2))")
            }
            if let pre = rate(.runtimePrepublished, count, \.perSecond) {
                extras.append("runtime-pre/baseline \(fixed(pre / baseline, 2))")
            }
            if !extras.isEmpty { line += "   (" + extras.joined(separator: ", ") + ")" }
            emit(line)
        }
        emit("load average at end: \(MachineFacts.loadAverage)")
        emit("(a shared machine is noisy: compare ratios within one run; absolute jobs/s move with the load)")
    }

    /// Unbuffered, so each row shows as soon as its scenario ends (also through a pipe).
    func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    private func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
    private func lpad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
}
