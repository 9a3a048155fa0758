import Foundation
import ProductFlow

/// Words for people: status names, garments, times and API details turned into sentences.
enum PageText {
    static func status(_ status: ProductStatus) -> String {
        switch status {
        case .draft: "Queued"
        case .generatingDesigns: "Generating designs"
        case .awaitingSelection: "Choose a design"
        case .generatingMockups: "Making mockups"
        case .readyForSale: "Ready for sale"
        case .failed: "Failed"
        case .cancelled: "Cancelled"
        }
    }

    /// `heather_grey` → `Heather grey`.
    static func name(_ catalogueName: String) -> String {
        let words = catalogueName.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    static func garment(type: String, color: String) -> String {
        "\(name(color)) \(name(type).lowercased())"
    }

    /// `left_chest` on the front, 100 × 100 mm → `Left chest (front), 100 × 100 mm`.
    static func placement(_ placement: PrintPlacement) -> String {
        let name = placement.preset.map(Self.name) ?? "Custom placement"
        return "\(name) (\(placement.side)), \(Int(placement.widthMM.rounded())) × \(Int(placement.heightMM.rounded())) mm"
    }

    /// A prompt short enough for a title or a list row.
    static func title(_ prompt: String) -> String {
        let line = prompt.split(whereSeparator: \.isNewline).first.map(String.init) ?? prompt
        return line.count > 80 ? String(line.prefix(77)) + "…" : line
    }

    static func sentence(_ detail: String) -> String {
        guard let first = detail.first else { return detail }
        let text = first.uppercased() + detail.dropFirst()
        return text.hasSuffix(".") ? text : text + "."
    }

    static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// `2026-12-07 06:10 UTC`: the same for every reader, no locale guessing on the server.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
