import Foundation
@testable import ProcessRuntime
import Testing
import Vocabulary

/// Issue 14: log metadata keys and metric names are constants the code uses (`LogKey`,
/// `MetricName`), the README's metric table is the list of names, and every name has its
/// `# HELP` text. A literal key in `Sources` is how `itp.selection_version` and
/// `itp.selection.version` came to name one thing.
@Suite struct SourceVocabularyTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `"itp.…"`, `"amqp.…"`, `"db.…"`, `"http.…"` or `"error"` as a dictionary key or after
    /// `metadataKey:`, i.e. a log metadata key written as a literal. (A dictionary key follows
    /// `[`, `,` or the start of a line; a ternary's `? "a" : "b"` is no key.) Foundation's
    /// regular expressions, not Swift's `Regex`: a debug build of the latter took a minute for
    /// the tree, holding a thread of the two-thread test pool.
    static let literalKey = try! NSRegularExpression(
        pattern: #"(metadataKey:\s*"(?:itp|amqp|db|http)(?:\.[a-z_]+)+")|((?:^|[\[,])\s*"(?:(?:itp|amqp|db|http)(?:\.[a-z_]+)+|error)"\s*:\s)"#)
    static let markers = ["\"itp.", "\"amqp.", "\"db.", "\"http.", "\"error\""]

    static func isLiteralKey(_ line: some StringProtocol) -> Bool {
        let code = String(line.components(separatedBy: "//").first ?? "")
        guard markers.contains(where: { code.contains($0) }) else { return false }
        return literalKey.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil
    }

    static func swiftSources() throws -> [(path: String, text: String)] {
        let sources = repository.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" && !url.path.contains("/Sources/Vocabulary/") {
            files.append((String(url.path.dropFirst(repository.path.count + 1)), try String(contentsOf: url, encoding: .utf8)))
        }
        return files
    }

    @Test func noLogMetadataKeyIsWrittenAsALiteral() throws {
        let files = try Self.swiftSources()
        #expect(files.count > 100, "the scan found the sources")
        var offenders: [String] = []
        for file in files {
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if Self.isLiteralKey(line) { offenders.append("\(file.path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))") }
            }
        }
        #expect(offenders.isEmpty, "use LogKey:\n\(offenders.joined(separator: "\n"))")
    }

    @Test func theScanFindsALiteralKey() {
        #expect(Self.isLiteralKey(#"logger.info("x", metadata: ["itp.job.id": "\(id)"])"#))
        #expect(Self.isLiteralKey(#"logger[metadataKey: "amqp.queue"] = "q""#))
        #expect(Self.isLiteralKey(#"metadata: ["error": "\(error)"]"#))
        #expect(!Self.isLiteralKey(#"metadata: [LogKey.jobID: "\(id)"]"#))
        #expect(!Self.isLiteralKey(#"flag ? "itp.a" : "itp.b""#))
    }

    @Test func everyMetricNameIsAConstantTheReadmeListsAndHasHelpText() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = readme.components(separatedBy: "## Metrics").dropFirst().first?.components(separatedBy: "\n## ").first ?? ""
        let listed = Set(section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `itp_") else { return nil }
            return line.dropFirst(3).prefix { $0 != "`" }.description
        })
        #expect(listed == Set(MetricName.all), "README Metrics table vs MetricName.all")
        // The intake's HTTP metrics register their help text themselves.
        for name in MetricName.all where ![MetricName.httpRequests, MetricName.httpRequestDuration, MetricName.httpCacheLookups].contains(name) {
            #expect(MetricHelp.texts[name] != nil, "\(name) has no HELP text")
        }
        // No metric name literal outside Vocabulary.
        let literal = try NSRegularExpression(pattern: #""itp_[a-z_]+_(total|seconds)""#)
        let offenders = try Self.swiftSources().filter {
            literal.firstMatch(in: $0.text, range: NSRange($0.text.startIndex..., in: $0.text)) != nil
        }.map(\.path)
        #expect(offenders.isEmpty, "use MetricName: \(offenders)")
    }
}
