/// One worker kind's plan, as printed (and as `--json` for scripts).
struct ScalePlanEntry: Encodable {
    var queue: String
    var unit: String
    var ready: Int
    var inFlight: Int
    var consumers: Int
    var jobSeconds: Double
    var jobSecondsSource: String
    var concurrency: Int
    var current: Int
    var currentSource: String
    var needed: Int
    var desired: Int
    var action: String
    var reason: String
    var brokerRestarted: Bool
    /// systemctl arguments, one command each.
    var commands: [[String]]
    var applied: Bool
    var errors: [String]

    func text(apply: Bool) -> String {
        var lines = [
            "\(queue) (\(unit)N): ready \(ready), in flight \(inFlight), \(Self.seconds(jobSeconds)) s/job \(jobSecondsSource), "
                + "\(concurrency) per instance; running \(current) (\(currentSource))",
            "  needed \(needed) → \(action.replacingOccurrences(of: "_", with: " ")) \(action == "hold" ? "at" : "to") \(desired): \(reason)",
        ]
        if brokerRestarted { lines.append("  the broker restarted since the last reading (marker queue was gone)") }
        for command in commands {
            lines.append("  \(apply ? (errors.isEmpty ? "ran" : "ran (failed)") : "would run"): systemctl \(command.joined(separator: " "))")
        }
        lines.append(contentsOf: errors.map { "  error: \($0)" })
        return lines.joined(separator: "\n")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}
