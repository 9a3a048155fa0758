import Foundation
public import Postgres

/// A point in time given as ISO 8601 text (parsed here, bound as a timestamp) or as an age
/// (`90m`, `2h`, `7d`, counted back from the database's `now()`).
public struct TimeBound: Sendable {
    public var sql: SQL

    public init?(_ text: String) {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        if let unit = text.last, let factor = units[unit], let amount = Int(text.dropLast()), amount >= 0 {
            sql = "now() - make_interval(secs => \(amount * factor))"
            return
        }
        let iso = ISO8601DateFormatter()
        let dateOnly = DateFormatter()
        dateOnly.dateFormat = "yyyy-MM-dd"
        dateOnly.timeZone = TimeZone(identifier: "UTC")
        dateOnly.locale = Locale(identifier: "en_US_POSIX")
        // The console's `datetime-local` inputs send minutes without a zone: read as UTC.
        let local = DateFormatter()
        local.dateFormat = "yyyy-MM-dd'T'HH:mm"
        local.timeZone = TimeZone(identifier: "UTC")
        local.locale = Locale(identifier: "en_US_POSIX")
        if let date = iso.date(from: text) ?? dateOnly.date(from: text) ?? local.date(from: text) {
            sql = "\(date)::timestamptz"
            return
        }
        return nil
    }
}
