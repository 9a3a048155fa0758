public import Foundation

/// The body of every job message:
/// `{"schema_version":1,"job_id":"…","kind":"canary","payload":{…}}`.
///
/// Decoding is strict: anything a worker cannot act on is a ``MalformedMessage`` that is
/// dead-lettered at once with its reason, never requeued.
public struct JobEnvelope: Sendable, Equatable {
    /// The schema version this build writes and reads.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var jobID: UUID
    public var kind: String
    /// The kind-specific payload, as JSON object bytes.
    public var payload: Data

    public init(jobID: UUID, kind: String, payload: Data, schemaVersion: Int = JobEnvelope.currentSchemaVersion) {
        self.schemaVersion = schemaVersion
        self.jobID = jobID
        self.kind = kind
        self.payload = payload
    }

    /// The message body.
    public func encoded() throws -> [UInt8] {
        let payloadObject = try JSONSerialization.jsonObject(with: payload)
        let object: [String: Any] = [
            "schema_version": schemaVersion,
            "job_id": jobID.uuidString.lowercased(),
            "kind": kind,
            "payload": payloadObject,
        ]
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Decodes a message body for a worker that handles `kinds`.
    public static func decode(_ body: [UInt8], kinds: Set<String>) throws(MalformedMessage) -> JobEnvelope {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw MalformedMessage("body is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw MalformedMessage("body is not a JSON object") }
        guard let version = object["schema_version"] as? Int else {
            throw MalformedMessage("schema_version is missing or not an integer")
        }
        guard version == currentSchemaVersion else {
            throw MalformedMessage("unsupported schema_version \(version) (this worker reads \(currentSchemaVersion))")
        }
        guard let idText = object["job_id"] as? String, let jobID = UUID(uuidString: idText) else {
            throw MalformedMessage("job_id is missing or not a UUID")
        }
        guard let kind = object["kind"] as? String else { throw MalformedMessage("kind is missing or not a string") }
        guard kinds.contains(kind) else {
            throw MalformedMessage("unknown kind '\(kind.prefix(64))' (this queue takes \(kinds.sorted().joined(separator: ", ")))")
        }
        guard let payloadObject = object["payload"], payloadObject is [String: Any],
              let payload = try? JSONSerialization.data(withJSONObject: payloadObject, options: [.sortedKeys])
        else {
            throw MalformedMessage("payload is missing or not a JSON object")
        }
        return JobEnvelope(jobID: jobID, kind: kind, payload: payload, schemaVersion: version)
    }
}

/// A message no worker can act on; `reason` is recorded with the dead letter.
public struct MalformedMessage: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "malformed message: \(reason)" }
}
