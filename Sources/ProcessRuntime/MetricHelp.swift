import Vocabulary

/// The `# HELP` text of every metric the fleet exposes (README "Metrics"), added to the
/// exposition before each `# TYPE` line that has none. swift-metrics handles have no help
/// text and swift-prometheus refuses a second registration with a different one, so the
/// text is added on the way out instead of at registration.
enum MetricHelp {
    static let texts: [String: String] = [
        MetricName.jobs: "Job attempts finished, by queue, kind and outcome (succeeded, retrying, dead, cancelled, superseded).",
        MetricName.jobDuration: "Seconds from a job's delivery to its ack.",
        MetricName.jobsInFlight: "Deliveries taken and not yet acked (at most the prefetch).",
        MetricName.outboxPublished: "Outbox rows published with a broker confirm and marked sent.",
        MetricName.outboxBacklog: "Outbox rows due and not yet published, as the relay's last batch saw them (counted up to 10000).",
        MetricName.amqpConnected: "1 while the broker connection is up, else 0.",
        MetricName.databaseConnected: "1 while the database connection is up, else 0.",
        MetricName.providerCalls: "Image provider calls, by provider, outcome and error class.",
        MetricName.providerCallDuration: "Seconds per image provider call.",
        MetricName.imageWorkCPU: "Thread CPU seconds spent in image work, by kind of work.",
    ]

    /// Said of a metric missing from ``texts``, so that no family ever lacks a HELP line.
    static let fallback = "An ITP metric (see the Metrics table of the README)."

    /// `exposition` with a `# HELP name text` line before every `# TYPE name …` line that
    /// is not already preceded by one.
    static func annotate(_ exposition: [UInt8]) -> [UInt8] {
        let text = String(decoding: exposition, as: UTF8.self)
        var output = ""
        output.reserveCapacity(text.utf8.count + 1024)
        var previous: Substring = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE ") {
                let name = line.dropFirst("# TYPE ".count).prefix { $0 != " " }
                if !previous.hasPrefix("# HELP \(name) ") {
                    output += "# HELP \(name) \(texts[String(name)] ?? fallback)\n"
                }
            }
            output += line
            output += "\n"
            previous = line
        }
        // Every piece got a newline, the last one too: it had none in the input.
        output.removeLast()
        return Array(output.utf8)
    }
}
