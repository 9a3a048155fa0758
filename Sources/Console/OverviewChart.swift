import Foundation
import Operations

/// The overview's 24-hour chart as inline SVG drawn on the server (no script, no external
/// library): finished jobs and dead letters per hour, each series scaled to its own maximum
/// so a handful of dead letters still shows beside thousands of jobs.
enum OverviewChart {
    static func svg(_ hours: [FleetOverview.Hour]) -> String {
        let width = 720.0, height = 160.0, left = 8.0, bottom = 20.0
        let slot = (width - left * 2) / Double(max(hours.count, 1))
        let maxJobs = max(1, hours.map(\.finishedJobs).max() ?? 1), maxDead = max(1, hours.map(\.deadLetters).max() ?? 1)
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-label=\"Finished jobs and dead letters per hour, last 24 hours\" class=\"chart\">"]
        let plot = height - bottom - 8
        for (index, hour) in hours.enumerated() {
            let x = left + Double(index) * slot
            let jobs = Double(hour.finishedJobs) / Double(maxJobs) * plot, dead = Double(hour.deadLetters) / Double(maxDead) * plot
            let label = ConsoleText.time(hour.start)
            parts.append(String(format: "<rect class=\"jobs\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%@: %d finished jobs</title></rect>",
                                x + 1, height - bottom - jobs, slot / 2 - 1, jobs, label, hour.finishedJobs))
            parts.append(String(format: "<rect class=\"dead\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%@: %d dead letters</title></rect>",
                                x + slot / 2, height - bottom - dead, slot / 2 - 1, dead, label, hour.deadLetters))
            if index % 6 == 0 {
                let hourText = String(label.dropFirst(11).prefix(5))
                parts.append(String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>", x, height - 4, hourText))
            }
        }
        parts.append("</svg>")
        return parts.joined()
    }
}
