/// One thing wrong with the catalogue, found by ``TemplateCatalog/check(decodingImages:)``.
public struct TemplateProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where in the manifest, e.g. `product_types.tshirt.colors.red.flat_lay`.
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
