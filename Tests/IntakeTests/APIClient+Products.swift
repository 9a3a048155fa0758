import Foundation
import Testing

extension APIClient {
    /// Creates a product through the API and returns its id.
    func createProduct(_ owner: IntakeFixture.Owner, body: String = CreateProductTests.body) async throws -> UUID {
        let reply = try await send(.post, "/v1/products", as: owner, json: body)
        #expect(reply.status == 202, "\(reply.text)")
        return try #require(reply.id)
    }

    static func path(_ product: UUID, _ suffix: String = "") -> String {
        "/v1/products/\(product.uuidString.lowercased())" + suffix
    }

    static func selection(_ asset: UUID) -> String {
        #"{"asset_id": "\#(asset.uuidString.lowercased())"}"#
    }
}
