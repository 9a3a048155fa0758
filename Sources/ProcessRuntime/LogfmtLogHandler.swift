public import Logging

/// A swift-log handler that writes one logfmt line per record:
///
///     ts=2026-01-31T12:34:56.789Z level=info logger=itp-flatlay-worker msg="job done" amqp.queue=mockup.flat_lay itp.job.id=42
///
/// `ts`, `level`, `logger`, `msg` come first, then `error` when the record carries one, then
/// the metadata sorted by key (handler, provider, then record metadata; the record wins).
public struct LogfmtLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let output: LogOutput

    public init(
        label: String,
        level: Logger.Level = .info,
        output: LogOutput = .standardOutput,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        output.write(line: render(event, time: Logfmt.now()))
    }

    /// The line for `event` at `time`, without its newline. Internal for tests.
    func render(_ event: LogEvent, time: (seconds: Int, nanoseconds: Int)) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let recorded = event.metadata { merged.merge(recorded) { _, new in new } }

        var line = ""
        Logfmt.append("ts", Logfmt.timestamp(seconds: time.seconds, nanoseconds: time.nanoseconds), to: &line)
        Logfmt.append("level", event.level.rawValue, to: &line)
        Logfmt.append("logger", label, to: &line)
        Logfmt.append("msg", event.message.description, to: &line)
        if let error = event.error { Logfmt.append("error", "\(error)", to: &line) }
        for (key, value) in Logfmt.flatten(merged.mapValues(Self.leaf)) {
            Logfmt.append(key, value, to: &line)
        }
        return line
    }

    private static func leaf(_ value: Logger.Metadata.Value) -> Logfmt.MetadataLeaf {
        switch value {
        case .string(let text): .text(text)
        case .stringConvertible(let convertible): .text(convertible.description)
        case .array(let items): .list(items.map(leaf))
        case .dictionary(let entries): .map(entries.mapValues(leaf))
        }
    }
}
