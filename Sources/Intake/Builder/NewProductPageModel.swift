import Foundation
import Mockups
import Settings

/// The new-product form: prompt, garment (only the catalogue's type × colour combinations,
/// as swatches), number of designs within what the design worker makes, the price and the
/// balance — kept as typed when the server refuses it.
struct NewProductPageModel: Sendable {
    struct Color: Sendable { var value: String; var color: String; var label: String; var checked: Bool }
    struct ProductType: Sendable { var label: String; var colors: [Color] }
    struct PlacementOption: Sendable { var value: String; var label: String; var selected: Bool }

    var user: UserBar
    var flash: Flash?
    var csrfToken: String
    var idempotencyKey: String
    var prompt: String
    var productTypes: [ProductType]
    var placements: [PlacementOption]
    var hasPlacements: Bool
    var candidates: Int
    var maxCandidates: Int
    var price: Int
    var priceUnit: String
    var regeneratePrice: Int
    var balance: Int

    struct Form: Sendable {
        var prompt = ""
        var garment: String?
        var candidates: Int?
        var placement: String?
    }

    init(catalog: TemplateCatalog, form: Form, user: ShopUser, balance: Int, maxCandidates: Int, prices: IntakeConfiguration.Prices,
         idempotencyKey: String, flash: Flash?) {
        self.user = UserBar(user: user, balance: balance)
        self.flash = flash
        csrfToken = user.csrfToken
        self.idempotencyKey = idempotencyKey
        prompt = form.prompt
        let manifest = catalog.manifest
        let chosen = form.garment ?? manifest.defaultProductType.flatMap { type in
            manifest.productTypes[type].map { "\(type):\($0.defaultColor)" }
        }
        productTypes = manifest.productTypes.keys.sorted().map { type in
            ProductType(label: PageText.name(type), colors: (manifest.productTypes[type]?.colors.keys.sorted() ?? []).map { color in
                Color(value: "\(type):\(color)", color: color, label: PageText.name(color), checked: chosen == "\(type):\(color)")
            })
        }
        // Every preset some type declares; a type without the chosen one answers 400 in words.
        let presets = Set(manifest.productTypes.values.flatMap { ($0.presets ?? [:]).keys }).sorted()
        placements = [PlacementOption(value: "", label: "The garment's default", selected: (form.placement ?? "").isEmpty)]
            + presets.map { PlacementOption(value: $0, label: PageText.name($0), selected: form.placement == $0) }
        hasPlacements = !presets.isEmpty
        candidates = form.candidates ?? min(ProductFlowDefaults.candidates, maxCandidates)
        self.maxCandidates = maxCandidates
        price = prices.create
        priceUnit = prices.create == 1 ? "credit" : "credits"
        regeneratePrice = prices.regenerate
        self.balance = balance
    }
}
