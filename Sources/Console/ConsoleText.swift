import Foundation

/// Times, ages and short ids for people: the same for every reader (UTC), no locale guessing.
enum ConsoleText {
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    static func age(seconds: Int) -> String {
        switch seconds {
        case ..<120: "\(seconds) s"
        case ..<7200: "\(seconds / 60) min"
        case ..<172_800: "\(seconds / 3600) h"
        default: "\(seconds / 86400) d"
        }
    }

    static func id(_ id: UUID?) -> String {
        id.map { $0.uuidString.lowercased() } ?? ""
    }

    /// A long error cut for a table cell.
    static func short(_ text: String, _ limit: Int = 140) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}
