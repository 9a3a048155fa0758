import Foundation

/// What the storefront does with one product, drawn at random up front.
struct ProductPlan: Sendable {
    enum Reselect: Sendable { case never, whileMockupsRun, afterReady }

    var index: Int
    var owner: Int
    var productType: String
    var shirtColor: String
    var candidates: Int
    var garbage: Bool
    var regenerate: Bool
    var reselect: Reselect
    /// Once ready: saved to the library and put on two more garments (one batch request).
    var library: Bool

    static let productTypes = ["tshirt", "hoodie", "tank"]
    static let colors = ["black", "white", "navy", "heather_grey", "red"]
    static let subjects = ["a lighthouse in a storm", "a red fox at dusk", "a koi pond", "a mountain sunrise", "a retro robot", "a cactus bloom"]

    static func draw(_ index: Int, configuration: SoakConfiguration, garbageAllowed: Bool) -> ProductPlan {
        let reselectRoll = Double.random(in: 0..<1)
        let garbage = garbageAllowed && Double.random(in: 0..<1) < configuration.garbageShare
        return ProductPlan(
            index: index, owner: index % max(configuration.owners, 1),
            productType: productTypes[Int.random(in: productTypes.indices)], shirtColor: colors[Int.random(in: colors.indices)],
            candidates: Int.random(in: configuration.candidates),
            garbage: garbage,
            regenerate: Double.random(in: 0..<1) < configuration.regenerateShare,
            reselect: reselectRoll < configuration.reselectShare / 2 ? .whileMockupsRun
                : reselectRoll < configuration.reselectShare ? .afterReady : .never,
            library: !garbage && Double.random(in: 0..<1) < configuration.libraryShare)
    }

    var prompt: String {
        "\(Self.subjects[index % Self.subjects.count]), bold emblem #\(index)" + (garbage ? " \(FakeImageAPI.garbageMarker)" : "")
    }
}
