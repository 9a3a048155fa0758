import Accounts
import AssetImages
import Foundation
import Mockups
import Postgres
import ProductFlow

/// The library page: the shop's saved designs (the API's ``LibraryDesignView``), newest
/// first, each with its latest version's thumbnail, name, tags and version, and a "use this
/// design on…" form: the catalogue's type × colour combinations as swatches to tick, sent
/// as one batch with an idempotency key made for this form.
struct LibraryPageModel: Sendable {
    struct Swatch: Sendable { var value: String; var color: String; var label: String }
    struct ProductType: Sendable { var label: String; var colors: [Swatch] }

    struct Design: Sendable {
        var id: String
        var name: String
        var tags: String
        var hasTags: Bool
        var version: Int
        var thumbURL: String?
        var alt: String
        var justSaved: Bool
        var idempotencyKey: String
        var productTypes: [ProductType]
    }

    var user: UserBar
    var flash: Flash?
    var csrfToken: String
    var designs: [Design]
    var empty: Bool

    /// The page for `user`'s shop; `saved` is the design just saved (said at the top).
    static func load(
        user: ShopUser, catalog: TemplateCatalog, saved: UUID?, flash: Flash?, database: PostgresClient
    ) async throws -> LibraryPageModel {
        let caller = user.caller
        let (views, thumbnails, balance) = try await database.withConnection { connection in
            let views = try LibraryDesignView.loadAll(caller: caller, includeArchived: false, on: connection)
            // The latest version's source asset: the shop's own asset, so its image route serves it.
            var thumbnails: [UUID: UUID] = [:]
            for row in try connection.query("""
                SELECT DISTINCT ON (v.design_id) v.design_id, v.source_asset_id FROM library_design_versions v
                JOIN library_designs d ON d.id = v.design_id
                WHERE d.owner_id = \(caller.ownerID) AND v.source_asset_id IS NOT NULL
                ORDER BY v.design_id, v.version DESC
                """) {
                thumbnails[try row.decode(UUID.self, column: "design_id")] = try row.decode(UUID.self, column: "source_asset_id")
            }
            return (views, thumbnails, try Credits.balance(owner: caller.ownerID, on: connection))
        }
        let manifest = catalog.manifest
        let types = manifest.productTypes.keys.sorted().map { type in
            ProductType(label: PageText.name(type), colors: (manifest.productTypes[type]?.colors.keys.sorted() ?? []).map { color in
                Swatch(value: "\(type):\(color)", color: color, label: PageText.garment(type: type, color: color))
            })
        }
        let designs = views.map { view in
            Design(
                id: view.id.uuidString.lowercased(), name: view.name, tags: view.tags.joined(separator: ", "), hasTags: !view.tags.isEmpty,
                version: view.latestVersion, thumbURL: thumbnails[view.id].map { ProductPageModel.thumbnail($0, width: .w256) },
                alt: "Library design “\(view.name)”", justSaved: view.id == saved,
                idempotencyKey: SecretToken.random(bytes: 16).value, productTypes: types)
        }
        var flash = flash
        if flash == nil, let design = designs.first(where: { $0.justSaved }) {
            flash = .info("Saved “\(design.name)” to your library.")
        }
        return LibraryPageModel(
            user: UserBar(user: user, balance: balance), flash: flash, csrfToken: user.csrfToken, designs: designs, empty: designs.isEmpty)
    }
}
