#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The template catalogue: `manifest.json` plus the images it names, in one directory
/// (the repository's `templates/` unless `ITP_TEMPLATES_DIR` says otherwise).
///
/// Loading reads only the manifest; images are read when a mockup is rendered and by
/// ``check(decodingImages:)``, so operators can replace images without a restart.
public struct TemplateCatalog: Sendable {
    /// The setting naming the catalogue directory.
    public static let directoryVariable = "ITP_TEMPLATES_DIR"
    public static let manifestFileName = "manifest.json"

    public let directory: String
    public let manifest: TemplateManifest

    /// Reads and decodes `<directory>/manifest.json`.
    /// - Throws: ``MockupError`` `.manifestInvalid` naming the file and what is wrong.
    public init(directory: String) throws(MockupError) {
        let path = Self.join(directory, Self.manifestFileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MockupError(.manifestInvalid, "template manifest \(path) is missing or unreadable")
        }
        do {
            manifest = try JSONDecoder().decode(TemplateManifest.self, from: data)
        } catch {
            throw MockupError(.manifestInvalid, "template manifest \(path) is malformed: \(Self.describe(error))")
        }
        self.directory = directory
    }

    /// A catalogue from an in-memory manifest (tests, tools).
    public init(directory: String, manifest: TemplateManifest) {
        self.directory = directory
        self.manifest = manifest
    }

    /// `ITP_TEMPLATES_DIR` if set and not empty, else `fallback` (by default `templates`,
    /// relative to the working directory: the repository root, or the unit's
    /// `WorkingDirectory=`).
    public static func directory(environment: [String: String], fallback: String = "templates") -> String {
        if let value = environment[directoryVariable], !value.isEmpty { return value }
        return fallback
    }

    /// A manifest-relative path made usable on disk.
    public func path(of relative: String) -> String {
        Self.join(directory, relative)
    }

    static func join(_ directory: String, _ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    static func fileExists(_ path: String) -> Bool {
        #if canImport(FoundationEssentials)
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory
        #else
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        #endif
    }

    /// DecodingError's own description is long and mentions Swift types; this names the key path.
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".")
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context))"
        case .dataCorrupted(let context):
            return "invalid data at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(decoding)"
        }
    }
}
