import AssetImages
import Foundation
import JobRuntime
import Mockups
import Postgres
import ProductFlow

/// `GET /v1/products/{id}/gallery`: exactly the storefront's display list, in order
/// `design`, `flat_lay`, `mr_imagine`, decided only from the asset flags (DESIGN.md §1):
///
/// - `design`: the active primary design;
/// - `flat_lay`: the active `mockup_flat_lay` of the current `selection_version`;
/// - `mr_imagine`: the active `mockup_mr_imagine` of the current selection — or, when the
///   current selection's mr_imagine row has terminally failed, status `failed` with the
///   declared fallback: the flat-lay image (or, while that is not ready, the design),
///   named in `fallback`.
///
/// A slot is `ready` (with asset and content URL), `pending`, or `failed`. A ready mockup
/// slot carries `template`: the garment requested and the garment whose template was used,
/// and when they differ (the mockup worker fell back to the catalogue's declared default,
/// e.g. the white tank for a red order) `fallback: true` with a reason code, so a
/// storefront can decide whether to show it.
struct GalleryView: Encodable, Sendable {
    struct Garment: Encodable, Sendable, Equatable {
        var productType: String
        var color: String

        private enum CodingKeys: String, CodingKey {
            case productType = "product_type", color
        }
    }

    /// The template a mockup was made from, from the asset's `template_info`.
    struct TemplateUse: Encodable, Sendable, Equatable {
        /// Why the default was used, as a code (the worker's text, with file paths, stays in `template_info`).
        enum Reason: String, Encodable, Sendable {
            case noTemplateForProductType = "no_template_for_product_type"
            case noTemplateForColor = "no_template_for_color"
            case templateImageMissing = "template_image_missing"
            case other
        }

        var requested: Garment
        var used: Garment
        var templateID: String
        var fallback: Bool
        var reason: Reason?

        private enum CodingKeys: String, CodingKey {
            case requested, used, templateID = "template_id", fallback, reason
        }

        init?(json: String?) {
            guard let json, let info = try? JSONDecoder().decode(TemplateInfo.self, from: Data(json.utf8)) else { return nil }
            requested = Garment(productType: info.requestedProductType, color: info.requestedColor)
            used = Garment(productType: info.productType, color: info.color)
            templateID = info.templateID
            fallback = info.fallback
            reason = info.fallback ? Self.reason(info.fallbackReason ?? "") : nil
        }

        /// The first cause named by `TemplateCatalog.lookup`'s reason text.
        private static func reason(_ text: String) -> Reason {
            if text.hasPrefix("no templates for product type") { return .noTemplateForProductType }
            if text.contains("is missing") { return .templateImageMissing }
            if text.hasPrefix("no ") { return .noTemplateForColor }
            return .other
        }
    }

    enum SlotStatus: String, Encodable, Sendable {
        case ready, pending, failed
    }

    struct Fallback: Encodable, Sendable, Equatable {
        /// The slot whose image is shown instead (`flat_lay` or `design`).
        var shows: String
        var assetID: UUID
        var contentURL: String
        /// The failure's `error_status` (`permanent`, `transient`, `poison`, …).
        var reason: String
        /// Signed URLs of the image shown instead (``GalleryView/signed(with:now:)``).
        var images: SignedImageSet?

        private enum CodingKeys: String, CodingKey {
            case shows, assetID = "asset_id", contentURL = "content_url", reason, images
        }
    }

    struct Slot: Encodable, Sendable {
        var slot: String
        var status: SlotStatus
        var assetID: UUID?
        var contentURL: String?
        var fallback: Fallback?
        var template: TemplateUse?
        /// Signed URLs of a ready slot's image (``GalleryView/signed(with:now:)``).
        var images: SignedImageSet?

        private enum CodingKeys: String, CodingKey {
            case slot, status, assetID = "asset_id", contentURL = "content_url", fallback, template, images
        }

        init(_ slot: String, asset: UUID?, failure: String? = nil, fallback: Fallback? = nil, template: TemplateUse? = nil) {
            self.slot = slot
            self.assetID = asset
            self.contentURL = asset.map(ProductLinks.content)
            self.status = asset != nil ? .ready : failure != nil ? .failed : .pending
            self.fallback = asset == nil ? fallback : nil
            self.template = asset == nil ? nil : template
        }
    }

    var productID: UUID
    var status: ProductStatus
    var selectionVersion: Int
    /// The product's placement: where the design is printed and where both mockups show it.
    var placement: PrintPlacement?
    var slots: [Slot]

    private enum CodingKeys: String, CodingKey {
        case productID = "product_id", status, selectionVersion = "selection_version", placement, slots
    }

    static func load(_ id: UUID, caller: Caller, on connection: PostgresConnection) throws -> GalleryView? {
        guard let row = try connection.query("""
            SELECT p.status::text, p.selection_version, p.placement::text,
                   (SELECT a.id FROM product_assets a
                     WHERE a.product_id = p.id AND a.is_primary_design AND a.is_active) AS design_id,
                   (SELECT a.id FROM product_assets a
                     WHERE a.product_id = p.id AND a.asset_role = 'mockup_flat_lay' AND a.is_active
                       AND a.selection_version = p.selection_version) AS flat_lay_id,
                   (SELECT a.template_info::text FROM product_assets a
                     WHERE a.product_id = p.id AND a.asset_role = 'mockup_flat_lay' AND a.is_active
                       AND a.selection_version = p.selection_version) AS flat_lay_template,
                   (SELECT a.template_info::text FROM product_assets a
                     WHERE a.product_id = p.id AND a.asset_role = 'mockup_mr_imagine' AND a.is_active
                       AND a.selection_version = p.selection_version) AS mr_imagine_template,
                   (SELECT a.error_status FROM product_assets a
                     WHERE a.product_id = p.id AND a.asset_role = 'mockup_flat_lay' AND a.generation_status = 'failed'
                       AND a.archived_at IS NULL AND a.selection_version = p.selection_version
                     ORDER BY a.updated_at DESC LIMIT 1) AS flat_lay_failure,
                   (SELECT a.id FROM product_assets a
                     WHERE a.product_id = p.id AND a.asset_role = 'mockup_mr_imagine' AND a.is_active
                       AND a.selection_version = p.selection_version) AS mr_imagine_id,
                   (SELECT a.error_status FROM product_assets a
                     WHERE a.product_id = p.id AND a.asset_role = 'mockup_mr_imagine' AND a.generation_status = 'failed'
                       AND a.archived_at IS NULL AND a.selection_version = p.selection_version
                     ORDER BY a.updated_at DESC LIMIT 1) AS mr_imagine_failure
            FROM products p WHERE p.id = \(id) AND p.owner_id = \(caller.ownerID)
            """).first else { return nil }
        let design = try row.decode(UUID?.self, column: "design_id")
        let flatLay = try row.decode(UUID?.self, column: "flat_lay_id")
        let flatLayTemplate = TemplateUse(json: try row.decode(String?.self, column: "flat_lay_template"))
        let mrImagineTemplate = TemplateUse(json: try row.decode(String?.self, column: "mr_imagine_template"))
        let flatLayFailure = try row.decode(String?.self, column: "flat_lay_failure")
        let mrImagine = try row.decode(UUID?.self, column: "mr_imagine_id")
        let mrImagineFailure = try row.decode(String?.self, column: "mr_imagine_failure")
        let fallback = mrImagineFailure.flatMap { reason -> Fallback? in
            if let flatLay { return Fallback(shows: "flat_lay", assetID: flatLay, contentURL: ProductLinks.content(flatLay), reason: reason) }
            if let design { return Fallback(shows: "design", assetID: design, contentURL: ProductLinks.content(design), reason: reason) }
            return nil
        }
        return GalleryView(
            productID: id, status: try ProductStatusColumn.decode(row), selectionVersion: try row.decode(Int.self, column: "selection_version"),
            placement: try PrintPlacement.decode(row),
            slots: [
                Slot("design", asset: design),
                Slot("flat_lay", asset: flatLay, failure: flatLayFailure, template: flatLayTemplate),
                Slot("mr_imagine", asset: mrImagine, failure: mrImagineFailure, fallback: fallback, template: mrImagineTemplate),
            ])
    }
}
