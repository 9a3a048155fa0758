import Foundation
import Testing

extension Fleet {
    /// Exactly three slots, in display order, all ready, the design slot being `design`,
    /// every image served as a PNG, and both mockups made from exactly that design.
    func expectGallery(product: String, design: String) async throws {
        let gallery = try await object(.get, "/v1/products/\(product)/gallery")
        let slots = try #require(gallery["slots"] as? [[String: Any]])
        #expect(slots.compactMap { $0["slot"] as? String } == ["design", "flat_lay", "mr_imagine"])
        #expect(slots.allSatisfy { $0["status"] as? String == "ready" }, "\(slots)")
        #expect(slots.first?["asset_id"] as? String == design)
        for slot in slots {
            let url = try #require(slot["content_url"] as? String)
            let image = try await request(.get, url)
            #expect(image.status == 200)
            #expect(Array(image.body.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        }
        #expect(try count("""
            SELECT count(*) FROM product_assets
            WHERE is_active AND asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine') AND source_asset_id = \(UUID(uuidString: design)!)
            """) == 2)
    }
}
