import Foundation

/// Where setting values come from, in order of precedence: command-line flags, then the
/// process environment, then a configuration file (`--config` / `ITP_CONFIG_FILE`, in the
/// `KEY=VALUE` format of a systemd EnvironmentFile), then the documented default.
public struct SettingsSource: Sendable {
    public var environment: [String: String]
    public var file: [String: String]

    public init(environment: [String: String]? = nil, file: [String: String] = [:]) {
        self.environment = environment ?? ProcessInfo.processInfo.environment
        self.file = file
    }

    /// The environment plus the file named by `configFile` or `ITP_CONFIG_FILE`, if any.
    public static func load(configFile: String?, environment: [String: String]? = nil) throws -> SettingsSource {
        let environment = environment ?? ProcessInfo.processInfo.environment
        guard let path = configFile ?? environment["ITP_CONFIG_FILE"], !path.isEmpty else {
            return SettingsSource(environment: environment)
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SettingsError(setting: "ITP_CONFIG_FILE", flag: "config", reason: "cannot read \(path)")
        }
        return SettingsSource(environment: environment, file: try parseEnvironmentFile(text, path: path))
    }

    /// The value of `name` from the environment, else the file. Empty means unset.
    public func value(_ name: String) -> String? {
        if let value = environment[name], !value.isEmpty { return value }
        if let value = file[name], !value.isEmpty { return value }
        return nil
    }

    static func parseEnvironmentFile(_ text: String, path: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsError(setting: "ITP_CONFIG_FILE", reason: "\(path):\(number + 1): expected KEY=VALUE")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !key.isEmpty else {
                throw SettingsError(setting: "ITP_CONFIG_FILE", reason: "\(path):\(number + 1): bad variable name '\(key)'")
            }
            values[key] = value
        }
        return values
    }
}
