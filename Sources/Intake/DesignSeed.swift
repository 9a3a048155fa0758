import Foundation

/// The built-in generator's seed for a product iteration: derived from the product id
/// (FNV-1a over its bytes, then the iteration mixed in), so a product always renders
/// the same art for the same iteration, and every iteration differs.
enum DesignSeed {
    static func make(productID: UUID, iteration: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        withUnsafeBytes(of: productID.uuid) { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        return hash ^ (UInt64(truncatingIfNeeded: iteration) &* 0x9E37_79B9_7F4A_7C15)
    }
}
