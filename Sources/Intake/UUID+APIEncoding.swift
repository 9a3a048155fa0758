import Foundation

// The API spells ids in lower case everywhere (paths, links, bodies), as Postgres does.
// Foundation's JSONEncoder has no UUID strategy and writes them upper-case, so every
// keyed container of this module encodes UUIDs through these overloads, which the
// synthesized `Encodable` conformances of the views pick over the generic method.
extension KeyedEncodingContainer {
    mutating func encode(_ value: UUID, forKey key: Key) throws {
        try encode(value.uuidString.lowercased(), forKey: key)
    }

    mutating func encode(_ value: [UUID], forKey key: Key) throws {
        try encode(value.map { $0.uuidString.lowercased() }, forKey: key)
    }

    mutating func encodeIfPresent(_ value: UUID?, forKey key: Key) throws {
        try encodeIfPresent(value?.uuidString.lowercased(), forKey: key)
    }
}
