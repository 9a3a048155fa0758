import Foundation
import ProductFlow

/// The products page: the shop's products newest first (the API's ``ProductListView``), a
/// status filter and a link to the next page.
struct ListPageModel: Sendable {
    struct Option: Sendable { var value: String; var label: String; var selected: Bool }

    struct Row: Sendable {
        var id: String
        var title: String
        var status: String
        var statusLabel: String
        var garment: String
        var thumbnailURL: String?
        var updatedISO: String
        var updatedText: String
    }

    var user: UserBar
    var flash: Flash?
    var statuses: [Option]
    var items: [Row]
    var empty: Bool
    var nextURL: String?

    init(list: ProductListView, query: ProductListView.Query, user: UserBar) {
        self.user = user
        statuses = [Option(value: "", label: "All", selected: query.status == nil)]
            + ProductStatus.allCases.map { Option(value: $0.rawValue, label: PageText.status($0), selected: query.status == $0) }
        items = list.items.map { item in
            Row(id: item.id.uuidString.lowercased(), title: PageText.title(item.prompt), status: item.status.rawValue,
                statusLabel: PageText.status(item.status), garment: PageText.garment(type: item.productType, color: item.shirtColor),
                thumbnailURL: item.thumbnailURL, updatedISO: PageText.iso(item.updatedAt), updatedText: PageText.time(item.updatedAt))
        }
        empty = items.isEmpty
        nextURL = list.nextCursor.map { cursor in
            "/ui/products?" + (query.status.map { "status=\($0.rawValue)&" } ?? "") + "cursor=\(cursor)"
        }
    }
}
