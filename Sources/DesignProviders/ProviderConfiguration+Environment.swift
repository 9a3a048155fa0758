extension ProviderConfiguration {
    /// The setting names, defined once.
    public enum Setting {
        public static let provider = "ITP_IMAGE_PROVIDER"
        public static let baseURL = "ITP_IMAGE_API_BASE_URL"
        public static let apiKey = "ITP_IMAGE_API_KEY"
        public static let model = "ITP_IMAGE_MODEL"
        public static let imageSize = "ITP_IMAGE_SIZE"
        public static let timeout = "ITP_PROVIDER_TIMEOUT_SECONDS"
    }

    /// Reads and validates the settings from an environment-like source (the process
    /// environment merged with the configuration file). Empty values count as unset.
    /// - Throws: ``ProviderConfigurationError`` naming the first bad setting.
    public init(environment: [String: String]) throws(ProviderConfigurationError) {
        func value(_ name: String) -> String? {
            guard let raw = environment[name] else { return nil }
            let trimmed = raw.trimmingASCIIWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }

        let kind: ProviderKind
        if let name = value(Setting.provider) {
            guard let known = ProviderKind(rawValue: name.lowercased()) else {
                let names = ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ProviderConfigurationError(setting: Setting.provider, reason: "unknown provider '\(name)' (expected one of \(names))")
            }
            kind = known
        } else {
            kind = .builtin
        }

        var imageSize = 1024
        if let text = value(Setting.imageSize) {
            guard let size = Int(text), Self.imageSizeRange.contains(size) else {
                throw ProviderConfigurationError(
                    setting: Setting.imageSize,
                    reason: "'\(text)' is not a whole number of pixels in \(Self.imageSizeRange.lowerBound)...\(Self.imageSizeRange.upperBound)")
            }
            imageSize = size
        }

        var timeout = Duration.seconds(120)
        if let text = value(Setting.timeout) {
            guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 3600 else {
                throw ProviderConfigurationError(setting: Setting.timeout, reason: "'\(text)' is not a number of seconds in (0, 3600]")
            }
            timeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }

        var baseURL: String?
        var apiKey: String?
        if kind.usesHTTP {
            guard let url = value(Setting.baseURL) else {
                throw ProviderConfigurationError(setting: Setting.baseURL, reason: "required when \(Setting.provider)=\(kind.rawValue)")
            }
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), !url.contains("?"), !url.contains("#") else {
                throw ProviderConfigurationError(setting: Setting.baseURL, reason: "must be an http:// or https:// URL without query or fragment")
            }
            // Paths are appended as "/v1/…", so a trailing slash would double up.
            baseURL = String(url.reversed().drop(while: { $0 == "/" }).reversed())
            // The value itself is never echoed: it is a secret.
            guard let key = value(Setting.apiKey) else {
                throw ProviderConfigurationError(setting: Setting.apiKey, reason: "required when \(Setting.provider)=\(kind.rawValue)")
            }
            guard key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw ProviderConfigurationError(setting: Setting.apiKey, reason: "must be printable ASCII without spaces")
            }
            apiKey = key
        }

        let model = value(Setting.model)
        // Gemini puts the model in the URL path, so only path-safe names are accepted.
        if let model, !model.unicodeScalars.allSatisfy({ Self.modelNameScalars.contains($0) }) {
            throw ProviderConfigurationError(setting: Setting.model, reason: "'\(model)' may hold only letters, digits, '.', '-' and '_'")
        }

        self.init(kind: kind, baseURL: baseURL, apiKey: apiKey, model: model, imageSize: imageSize, timeout: timeout)
    }

    private static var modelNameScalars: Set<Unicode.Scalar> {
        Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_".unicodeScalars)
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
