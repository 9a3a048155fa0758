/// One worker kind's plan, as printed (and as `--json` for scripts).
public struct ScalePlanEntry: Encodable, Sendable {
    public var queue: String
    public var unit: String
    public var ready: Int
    public var inFlight: Int
    public var consumers: Int
    public var jobSeconds: Double
    public var jobSecondsSource: String
    public var concurrency: Int
    public var current: Int
    public var currentSource: String
    public var needed: Int
    public var desired: Int
    public var action: String
    public var reason: String
    public var brokerRestarted: Bool
    /// systemctl arguments, one command each.
    public var commands: [[String]]
    public var applied: Bool
    public var errors: [String]

    public func text(apply: Bool) -> String {
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
