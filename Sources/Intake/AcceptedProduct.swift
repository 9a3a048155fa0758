import Foundation
import JobRuntime

/// The answer to create, selection and regenerate: the product id, its status after the
/// change, and its links.
struct AcceptedProduct: Encodable, Sendable {
    var id: UUID
    var status: ProductStatus
    var iteration: Int?
    var selectionVersion: Int?
    var links: ProductLinks

    private enum CodingKeys: String, CodingKey {
        case id, status, iteration, selectionVersion = "selection_version", links
    }

    init(id: UUID, status: ProductStatus, iteration: Int? = nil, selectionVersion: Int? = nil) {
        self.id = id
        self.status = status
        self.iteration = iteration
        self.selectionVersion = selectionVersion
        links = ProductLinks(id)
    }
}
