/// The side of a garment a print goes on. Raw values are the manifest's and the API's.
public enum PrintSide: String, Sendable, Hashable, Codable, CaseIterable {
    case front
    case back
}
