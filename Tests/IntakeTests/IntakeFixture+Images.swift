import Foundation
import PNG
import Postgres
import Storage

extension IntakeFixture {
    /// A real PNG design asset of `product` (width × height, a gradient with a transparent
    /// edge), stored with its true SHA-256 and size, as the design worker records it.
    func seedImage(_ product: UUID, width: Int, height: Int) async throws -> (asset: UUID, png: [UInt8], key: String) {
        var pixels = [UInt8](repeating: 255, count: width * height * 4)
        for index in stride(from: 0, to: pixels.count, by: 4) {
            pixels[index] = UInt8((index / 4) % width * 255 / width)
        }
        let png = try PNGEncoder.encode(Image(width: width, height: height, format: .rgba8, pixels: pixels))
        let key = "products/\(product)/designs/1/\(UUID())-original.png"
        try await storage.put(try StorageKey(key), bytes: png, contentType: "image/png")
        let asset = try await value(UUID.self, """
            INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, pending_selection,
                                        storage_key, content_type, width, height, byte_size, sha256)
            VALUES (\(product), 'design', 'original', 1, 0, true, \(key), 'image/png', \(width), \(height), \(png.count),
                    \(Data(ContentDigest.sha256(png))))
            RETURNING id
            """)
        return (asset, png, key)
    }
}
