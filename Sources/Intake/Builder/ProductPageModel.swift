import AssetImages
import Foundation
import Postgres
import ProductFlow

/// What the product page and the designs page show, built from the API's own views
/// (``ProductView``, ``GalleryView``, ``DesignsView``) so a page never shows what the API
/// would not. The product page shows the gallery's display list once a design is selected —
/// and then no other asset of the product; the candidates (with every variant) are on the
/// designs page.
struct ProductPageModel: Sendable {
    struct Failure: Sendable { var message: String }

    struct Slot: Sendable {
        var slot: String
        var status: String
        var assetID: String?
        var imageURL: String?
        var srcset: String?
        var fullURL: String?
        var alt: String
        var caption: String
        var placeholder: String
        var notice: String?
    }

    struct Gallery: Sendable { var slots: [Slot] }

    struct Variant: Sendable {
        var assetID: String
        var variant: String
        var label: String
        var alt: String
        var thumbURL: String
        var checker: Bool
    }

    struct Candidate: Sendable {
        var number: Int
        var selected: Bool
        /// The print-quality warning at the product's placement, in words (nil when fine).
        var quality: String?
        var variants: [Variant]
    }

    struct Candidates: Sendable {
        var iteration: Int
        var list: [Candidate]
    }

    struct Iteration: Sendable {
        var iteration: Int
        var hasFeedback: Bool
        var feedback: String
        var requestedISO: String
        var requestedText: String
    }


    var user: UserBar
    var flash: Flash?
    var id: String
    var productID: String
    var csrfToken: String
    var title: String
    var prompt: String
    var status: String
    var statusLabel: String
    var garment: String
    /// Where the design is printed, in words (`Left chest, 100 × 100 mm`).
    var placement: String?
    var iteration: Int
    var failure: Failure?
    var progress: String?
    var gallery: Gallery?
    var candidates: Candidates?
    var eventsURL: String
    /// `on` while the product is still changing by itself (the script follows its events).
    var live: String
    var showRegenerate: Bool
    var regeneratePrice: Int
    var feedback: String
    var iterations: [Iteration]
    var hasIterations: Bool
    /// A design is selected, so "save to library" is offered.
    var canSave: Bool
    /// The "save to library" form, as typed when refused.
    var libraryForm = LibraryForm()

    struct LibraryForm: Sendable {
        var name = ""
        var tags = ""
    }

    enum Page { case product, designs }

    /// Nil when the product is not the user's (the page answers 404, as for an unknown id).
    static func load(
        _ id: UUID, page: Page, user: ShopUser, regeneratePrice: Int, database: PostgresClient
    ) async throws -> ProductPageModel? {
        let caller = user.caller
        return try await database.withConnection { connection -> ProductPageModel? in
            guard let view = try ProductView.load(id, caller: caller, on: connection) else { return nil }
            let balance = try Credits.balance(owner: caller.ownerID, on: connection)
            let selected = view.selectionVersion > 0
            let gallery = page == .product && selected ? try GalleryView.load(id, caller: caller, on: connection) : nil
            let designs = page == .designs || !selected
                ? try DesignsView.load(id, caller: caller, allIterations: false, on: connection) : nil
            return ProductPageModel(view: view, user: user, balance: balance, gallery: gallery, designs: designs, regeneratePrice: regeneratePrice)
        }
    }

    init(view: ProductView, user: ShopUser, balance: Int, gallery: GalleryView?, designs: DesignsView?, regeneratePrice: Int) {
        let idText = view.id.uuidString.lowercased()
        self.user = UserBar(user: user, balance: balance)
        id = idText
        productID = idText
        csrfToken = user.csrfToken
        title = PageText.title(view.prompt)
        prompt = view.prompt
        status = view.status.rawValue
        statusLabel = PageText.status(view.status)
        garment = PageText.garment(type: view.productType, color: view.shirtColor)
        placement = view.placement.map(PageText.placement)
        iteration = view.iteration
        failure = view.failureReason.map { Failure(message: PageText.sentence($0.message)) }
        progress = switch view.status {
        case .draft, .generatingDesigns: "Generating \(view.candidates) design\(view.candidates == 1 ? "" : "s")… this page updates by itself."
        case .generatingMockups: "Making the flat-lay and photo mockups… this page updates by itself."
        default: nil
        }
        eventsURL = view.links.events
        live = [.draft, .generatingDesigns, .generatingMockups].contains(view.status) ? "on" : "off"
        showRegenerate = view.status == .awaitingSelection
        self.regeneratePrice = regeneratePrice
        feedback = ""
        iterations = view.iterations.map {
            Iteration(iteration: $0.iteration, hasFeedback: !($0.feedback ?? "").isEmpty, feedback: $0.feedback ?? "", requestedISO: PageText.iso($0.requestedAt),
                      requestedText: PageText.time($0.requestedAt))
        }
        hasIterations = !iterations.isEmpty
        canSave = view.selectionVersion > 0
        self.gallery = gallery.map { Self.gallery($0, prompt: view.prompt, garment: garment) }
        self.candidates = designs.map { Self.candidates($0, prompt: view.prompt) }
    }

    /// The asset at one of the widths the content path serves (``ThumbnailWidth``, the same set it checks).
    static func thumbnail(_ asset: UUID, width: ThumbnailWidth) -> String {
        ProductLinks.content(asset) + "?width=\(width.pixels)"
    }

    private static func gallery(_ view: GalleryView, prompt: String, garment: String) -> Gallery {
        let garmentText = garment.lowercased()
        let slots = view.slots.map { slot -> Slot in
            let (alt, caption) = switch slot.slot {
            case "design": ("Selected design: \(PageText.title(prompt))", "Design")
            case "flat_lay": ("Flat-lay mockup of the design on a \(garmentText)", "Flat-lay")
            default: ("Photo mockup of the design worn on a \(garmentText)", "On a model")
            }
            var shown = slot.assetID
            var notice: String?
            if let template = slot.template, template.fallback {
                notice = "Shown on a \(PageText.garment(type: template.used.productType, color: template.used.color).lowercased()): "
                    + "there is no \(PageText.garment(type: template.requested.productType, color: template.requested.color).lowercased()) template yet."
            }
            if shown == nil, let fallback = slot.fallback {
                shown = fallback.assetID
                notice = "The photo mockup could not be made; the \(fallback.shows == "flat_lay" ? "flat-lay" : "design") is shown instead."
            }
            return Slot(
                slot: slot.slot, status: slot.status.rawValue, assetID: shown?.uuidString.lowercased(),
                imageURL: shown.map { thumbnail($0, width: .w512) },
                srcset: shown.map { asset in ThumbnailWidth.allCases.map { "\(thumbnail(asset, width: $0)) \($0.pixels)w" }.joined(separator: ", ") },
                fullURL: shown.map(ProductLinks.content), alt: alt, caption: caption,
                placeholder: slot.status == .failed ? "Could not be made" : "Rendering…", notice: notice)
        }
        return Gallery(slots: slots)
    }

    private static func candidates(_ view: DesignsView, prompt: String) -> Candidates {
        let labels = ["original": "Original", "dtf": "Print file", "background_removed": "Background removed"]
        return Candidates(iteration: view.iteration, list: view.candidates.map { candidate in
            Candidate(
                number: candidate.candidate + 1, selected: candidate.selected,
                quality: candidate.printQuality.map {
                    "Low resolution for this placement: \($0.effectiveDPI) DPI (\($0.minimumDPI) or more prints sharply)"
                },
                variants: candidate.variants.map { variant in
                let label = labels[variant.variant] ?? PageText.name(variant.variant)
                return Variant(
                    assetID: variant.assetID.uuidString.lowercased(), variant: variant.variant, label: label,
                    alt: "Design \(candidate.candidate + 1), \(label.lowercased()), for “\(PageText.title(prompt))”",
                    thumbURL: thumbnail(variant.assetID, width: .w256), checker: variant.variant != "original")
            })
        })
    }
}
