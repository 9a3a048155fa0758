public import ArgumentParser

/// A number a setting may hold: the one ranged parser of every daemon's settings.
public protocol SettingNumber: LosslessStringConvertible, Comparable, Sendable {
    /// How the number is named in an error ("a whole number").
    static var settingDescription: String { get }
}

extension Int: SettingNumber {
    public static var settingDescription: String { "a whole number" }
}

extension Double: SettingNumber {
    public static var settingDescription: String { "a number" }
}

extension Setting {
    /// The resolved value (flag, else environment or file, else default) as a number in
    /// `range`; a ``SettingsError`` naming the setting otherwise.
    public func number<Number: SettingNumber>(flag flagValue: String?, in source: SettingsSource, range: ClosedRange<Number>) throws -> Number {
        let text = raw(flag: flagValue, in: source) ?? ""
        guard let value = Number(text), range.contains(value) else {
            throw error("expected \(Number.settingDescription) from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }
}

extension Option {
    /// The option of `setting`: its flag, and help naming its environment variable and
    /// default (``ArgumentHelp/setting(_:)``), so that neither is typed twice.
    public init<Text: ExpressibleByArgument>(setting: Setting) where Value == Text? {
        self.init(name: .customLong(setting.flag), help: .setting(setting))
    }
}
