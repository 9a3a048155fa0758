import Logging
@testable import ProcessRuntime
import Settings
import Testing

@Suite struct LogfmtTests {
    private let time = (seconds: 1_790_000_000, nanoseconds: 123_456_789)

    private func render(_ message: Logger.Message, level: Logger.Level = .info, metadata: Logger.Metadata? = nil, handler: LogfmtLogHandler? = nil) -> String {
        let handler = handler ?? LogfmtLogHandler(label: "itp-flatlay-worker", output: .buffer())
        let event = LogEvent(level: level, message: message, metadata: metadata, source: "ProcessRuntimeTests", file: #fileID, function: #function, line: #line)
        return handler.render(event, time: time)
    }

    @Test func fixedFieldsComeFirstThenSortedMetadata() {
        let line = render("job done", metadata: ["itp.job.id": "42", "amqp.queue": "mockup.flat_lay", "attempt": .stringConvertible(2)])
        #expect(line == #"ts=2026-09-21T14:13:20.123Z level=info logger=itp-flatlay-worker msg="job done" amqp.queue=mockup.flat_lay attempt=2 itp.job.id=42"#)
    }

    @Test func valuesAreQuotedAndEscapedSoARecordIsOneLine() {
        let line = render("line one\nline \"two\"\t\\ end\u{1}", metadata: ["db.error": "syntax error\r\nat =", "empty": ""])
        #expect(!line.contains("\n") && !line.contains("\r"))
        #expect(line.contains(#"msg="line one\nline \"two\"\t\\ end\u0001""#))
        #expect(line.contains(#"db.error="syntax error\r\nat =""#))
        #expect(line.contains(#"empty="""#))
    }

    @Test func nestedMetadataFlattensToDottedKeysAndBadKeysAreSanitised() {
        let line = render("x", metadata: [
            "http": .dictionary(["status": "503", "method": "GET"]),
            "tags": .array(["a", "b c"]),
            "bad key=": "v",
        ])
        #expect(line.hasSuffix(#"bad_key_=v http.method=GET http.status=503 tags="[a,b c]""#))
    }

    @Test func recordMetadataWinsOverHandlerAndProviderMetadata() {
        var handler = LogfmtLogHandler(
            label: "itp-intake", output: .buffer(),
            metadataProvider: Logger.MetadataProvider { ["itp.request.id": "from-provider", "source": "provider"] })
        handler.metadata = ["source": "handler", "itp.product.id": "p1"]
        let line = render("x", metadata: ["source": "record"], handler: handler)
        #expect(line.hasSuffix("itp.product.id=p1 itp.request.id=from-provider source=record"))
    }

    @Test func loggerWritesThroughTheInjectedOutputAtTheConfiguredLevel() throws {
        let output = LogOutput.buffer()
        var logger = Logger(label: "itp-finalizer") { label in LogfmtLogHandler(label: label, level: .notice, output: output) }
        logger[metadataKey: "amqp.queue"] = "finalizer.events"
        logger.info("dropped: below notice")
        logger.warning("broker unreachable", metadata: ["error": "connection refused"])
        let lines = output.lines
        try #require(lines.count == 1)
        #expect(lines[0].contains(#"level=warning logger=itp-finalizer msg="broker unreachable" amqp.queue=finalizer.events error="connection refused""#))
    }

    @Test func levelsParseFromTheSettingAndBadOnesNameIt() throws {
        #expect(try LogSetup.level("trace") == .trace)
        #expect(try LogSetup.level("critical") == .critical)
        let error = #expect(throws: SettingsError.self) { try LogSetup.level("verbose") }
        #expect(error?.setting == "ITP_LOG_LEVEL")
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        #expect(Logfmt.timestamp(seconds: 0, nanoseconds: 5_000_000) == "1970-01-01T00:00:00.005Z")
        #expect(Logfmt.timestamp(seconds: 951_782_400, nanoseconds: 999_999_999) == "2000-02-29T00:00:00.999Z")
    }
}
