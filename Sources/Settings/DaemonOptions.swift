public import ArgumentParser

/// The flags every daemon and `itp-admin` accept (DESIGN.md §8). Each flag wins over its
/// environment variable; see ``Setting`` for names and defaults.
public struct DaemonOptions: ParsableArguments, Sendable {
    @Option(setting: .databaseURL)
    public var databaseURL: String?

    @Option(setting: .amqpURL)
    public var amqpURL: String?

    @Option(setting: .amqpCAFile)
    public var amqpCAFile: String?

    @Option(setting: .amqpCertFile)
    public var amqpCertFile: String?

    @Option(setting: .amqpKeyFile)
    public var amqpKeyFile: String?

    @Option(setting: .storageURL)
    public var storageURL: String?

    @Option(setting: .s3Endpoint)
    public var s3Endpoint: String?

    @Option(setting: .s3Region)
    public var s3Region: String?

    @Option(setting: .s3AccessKeyID)
    public var s3AccessKeyID: String?

    @Option(setting: .s3SecretAccessKey)
    public var s3SecretAccessKey: String?

    @Option(setting: .observabilityAddress)
    public var observabilityAddress: String?

    @Option(setting: .instance)
    public var instance: String?

    @Option(setting: .logLevel)
    public var logLevel: String?

    @Option(setting: .configFile)
    public var configFile: String?

    public init() {}

    /// Resolves and validates every setting; the first bad one throws a ``SettingsError``
    /// naming it. `daemon` (the executable's name) picks the default observability port
    /// (``ObservabilityPorts``).
    public func resolve(source: SettingsSource? = nil, daemon: String = "") throws -> DaemonSettings {
        let source = try source ?? SettingsSource.load(configFile: configFile)
        let amqp = Setting.amqpURL.raw(flag: amqpURL, in: source) ?? ""
        try AMQPURLCheck.validate(amqp, setting: .amqpURL)
        let amqpTLS = try BrokerTLSFiles.resolve(
            usesTLS: AMQPURLCheck.usesTLS(amqp),
            caFile: Setting.amqpCAFile.raw(flag: amqpCAFile, in: source),
            certFile: Setting.amqpCertFile.raw(flag: amqpCertFile, in: source),
            keyFile: Setting.amqpKeyFile.raw(flag: amqpKeyFile, in: source))

        let storageText = Setting.storageURL.raw(flag: storageURL, in: source) ?? ""
        let storage = try StorageLocation.parse(storageText) {
            func required(_ setting: Setting, _ flagValue: String?) throws -> String {
                guard let value = setting.raw(flag: flagValue, in: source) else {
                    throw setting.error("required when ITP_STORAGE_URL is an s3:// URL")
                }
                return value
            }
            let endpoint = try required(.s3Endpoint, s3Endpoint)
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                throw Setting.s3Endpoint.error("expected an http:// or https:// URL, got '\(endpoint)'")
            }
            return .init(
                endpoint: endpoint,
                region: try required(.s3Region, s3Region),
                accessKeyID: try required(.s3AccessKeyID, s3AccessKeyID),
                secretAccessKey: try required(.s3SecretAccessKey, s3SecretAccessKey))
        }

        let observability = try resolveObservabilityAddress(source: source, daemon: daemon)

        let level = Setting.logLevel.raw(flag: logLevel, in: source) ?? "info"
        guard DaemonSettings.logLevels.contains(level) else {
            throw Setting.logLevel.error("expected one of \(DaemonSettings.logLevels.joined(separator: ", ")), got '\(level)'")
        }

        return DaemonSettings(
            databaseURL: Setting.databaseURL.raw(flag: databaseURL, in: source) ?? "",
            amqpURL: amqp,
            amqpTLS: amqpTLS,
            storage: storage,
            observabilityAddress: observability,
            logLevel: level,
            source: source)
    }
}

extension DaemonOptions {
    /// An explicit ITP_OBSERVABILITY_ADDR wins; else the daemon's own port plus its
    /// ITP_INSTANCE. The instance is checked only for daemons run as template units.
    func resolveObservabilityAddress(source: SettingsSource, daemon: String) throws -> HostPort {
        let ports = ObservabilityPorts.byDaemon[daemon] ?? ObservabilityPorts(base: 9464, takesInstance: false)
        let instanceText = Setting.instance.raw(flag: instance, in: source)
        var number: Int?
        if let instanceText, !instanceText.isEmpty {
            guard ports.takesInstance else {
                throw Setting.instance.error("\(daemon.isEmpty ? "this command" : daemon) is not a template unit and takes no instance number, got '\(instanceText)'")
            }
            guard let value = Int(instanceText), (1...ObservabilityPorts.maxInstance).contains(value) else {
                throw Setting.instance.error("expected an instance number from 1 to \(ObservabilityPorts.maxInstance), got '\(instanceText)'")
            }
            number = value
        }
        if let explicit = Setting.observabilityAddress.raw(flag: observabilityAddress, in: source), !explicit.isEmpty {
            return try HostPort(parsing: explicit, setting: .observabilityAddress)
        }
        return ports.address(instance: number)
    }
}

extension ArgumentHelp {
    /// Help text that names the environment variable and the default.
    public static func setting(_ setting: Setting) -> ArgumentHelp {
        var text = setting.help + " [env: \(setting.environment)"
        if let value = setting.defaultValue { text += "; default: \(value)" }
        text += "]"
        return ArgumentHelp(stringLiteral: text)
    }
}
