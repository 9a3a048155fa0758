import Foundation
import JobRuntime
import ProductFlow

/// The answer to create, selection and regenerate: the product id, its status after the
/// change, its links, and for create and regenerate `estimated_cost`: the credits the
/// request reserved (consumed when the product is ready for sale, refunded if it fails).
struct AcceptedProduct: Encodable, Sendable {
    var id: UUID
    var status: ProductStatus
    var iteration: Int?
    var selectionVersion: Int?
    var estimatedCost: Int?
    var links: ProductLinks

    private enum CodingKeys: String, CodingKey {
        case id, status, iteration, selectionVersion = "selection_version", estimatedCost = "estimated_cost", links
    }

    init(id: UUID, status: ProductStatus, iteration: Int? = nil, selectionVersion: Int? = nil, estimatedCost: Int? = nil) {
        self.id = id
        self.status = status
        self.iteration = iteration
        self.selectionVersion = selectionVersion
        self.estimatedCost = estimatedCost
        links = ProductLinks(id)
    }
}
