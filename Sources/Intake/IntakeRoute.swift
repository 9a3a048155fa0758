/// The API's routes as data: ``buildApplication(configuration:)`` registers exactly
/// these, and the conformance test compares them with the OpenAPI document's paths.
/// Paths use the OpenAPI template syntax (`{id}`).
public struct IntakeRoute: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var path: String

    public init(_ method: String, _ path: String) {
        self.method = method
        self.path = path
    }

    public var description: String { "\(method) \(path)" }

    /// Hummingbird's spelling of the path (`{id}` → `:id`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
    }

    static let openAPI = IntakeRoute("GET", "/openapi.yaml")
    static let createProduct = IntakeRoute("POST", "/v1/products")
    static let product = IntakeRoute("GET", "/v1/products/{id}")
    static let designs = IntakeRoute("GET", "/v1/products/{id}/designs")
    static let selection = IntakeRoute("POST", "/v1/products/{id}/selection")
    static let regenerate = IntakeRoute("POST", "/v1/products/{id}/regenerate")
    static let cancel = IntakeRoute("POST", "/v1/products/{id}/cancel")
    static let gallery = IntakeRoute("GET", "/v1/products/{id}/gallery")
    static let events = IntakeRoute("GET", "/v1/products/{id}/events")
    static let assetContent = IntakeRoute("GET", "/v1/assets/{id}/content")
    static let createWebhookEndpoint = IntakeRoute("POST", "/v1/webhook-endpoints")
    static let webhookEndpoints = IntakeRoute("GET", "/v1/webhook-endpoints")
    static let deleteWebhookEndpoint = IntakeRoute("DELETE", "/v1/webhook-endpoints/{id}")
    static let rotateWebhookSecret = IntakeRoute("POST", "/v1/webhook-endpoints/{id}/rotate-secret")
    static let webhookDeliveries = IntakeRoute("GET", "/v1/webhook-endpoints/{id}/deliveries")
    static let redeliverWebhook = IntakeRoute("POST", "/v1/webhook-deliveries/{id}/redeliver")
    static let listProducts = IntakeRoute("GET", "/v1/products")
    static let saveLibraryDesign = IntakeRoute("POST", "/v1/library/designs")
    static let libraryDesigns = IntakeRoute("GET", "/v1/library/designs")
    static let libraryDesign = IntakeRoute("GET", "/v1/library/designs/{id}")
    static let deleteLibraryDesign = IntakeRoute("DELETE", "/v1/library/designs/{id}")
    static let libraryDesignProducts = IntakeRoute("POST", "/v1/library/designs/{id}/products")
    static let libraryDesignVersions = IntakeRoute("POST", "/v1/library/designs/{id}/versions")
    static let librarySyncPreview = IntakeRoute("GET", "/v1/library/designs/{id}/sync")
    static let librarySync = IntakeRoute("POST", "/v1/library/designs/{id}/sync")

    // The builder's pages (not part of the API document).
    static let home = IntakeRoute("GET", "/")
    static let signInForm = IntakeRoute("GET", "/ui/sign-in")
    static let signIn = IntakeRoute("POST", "/ui/sign-in")
    static let signOut = IntakeRoute("POST", "/ui/sign-out")
    static let productsPage = IntakeRoute("GET", "/ui/products")
    static let newProductPage = IntakeRoute("GET", "/ui/products/new")
    static let createProductForm = IntakeRoute("POST", "/ui/products")
    static let productPage = IntakeRoute("GET", "/ui/products/{id}")
    static let designsPage = IntakeRoute("GET", "/ui/products/{id}/designs")
    static let selectionForm = IntakeRoute("POST", "/ui/products/{id}/selection")
    static let regenerateForm = IntakeRoute("POST", "/ui/products/{id}/regenerate")
    static let saveToLibraryForm = IntakeRoute("POST", "/ui/products/{id}/library")
    static let libraryPage = IntakeRoute("GET", "/ui/library")
    static let useDesignForm = IntakeRoute("POST", "/ui/library/{id}/products")
    static let staticFile = IntakeRoute("GET", "/ui/static/{file}")

    /// The path template (`/v1/products/{id}`) a concrete path belongs to, whatever the
    /// method; nil when no route has it.
    static func template(matching path: String) -> String? {
        (all + pages).first { $0.matches(path) }?.path
    }

    /// The methods routed for a concrete path (for `Allow` on a 405); empty when no route has it.
    static func methods(forPath path: String) -> [String] {
        (all + pages).filter { $0.matches(path) }.map(\.method)
    }

    /// The concrete path fills this route's template: same segments, `{id}` any non-empty one.
    func matches(_ concrete: String) -> Bool {
        let segments = concrete.split(separator: "/", omittingEmptySubsequences: false)
        let template = path.split(separator: "/", omittingEmptySubsequences: false)
        return template.count == segments.count
            && zip(template, segments).allSatisfy { $0 == $1 || ($0.hasPrefix("{") && !$1.isEmpty) }
    }

    /// Every API route the server answers (the OpenAPI document's paths).
    public static let all: [IntakeRoute] = [
        openAPI, createProduct, listProducts, product, designs, selection, regenerate, cancel, gallery, events, assetContent,
        createWebhookEndpoint, webhookEndpoints, deleteWebhookEndpoint, rotateWebhookSecret, webhookDeliveries, redeliverWebhook,
        saveLibraryDesign, libraryDesigns, libraryDesign, deleteLibraryDesign, libraryDesignProducts,
        libraryDesignVersions, librarySyncPreview, librarySync,
    ]

    /// The builder's pages: HTML for people, outside the API document.
    public static let pages: [IntakeRoute] = [
        home, signInForm, signIn, signOut, productsPage, newProductPage, createProductForm, productPage, designsPage,
        selectionForm, regenerateForm, saveToLibraryForm, libraryPage, useDesignForm, staticFile,
    ]
}
