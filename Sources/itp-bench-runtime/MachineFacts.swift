import Foundation

/// What the reader needs to judge the figures: cores and how busy the machine was.
enum MachineFacts {
    static var processors: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The 1, 5 and 15 minute load averages (`/proc/loadavg`).
    static var loadAverage: String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
