import Foundation
import PNG

/// Turns an API's base64 image field into PNG bytes, or says exactly what was wrong.
///
/// Only the signature and header are read here (cheap, no pixel allocation); the caller
/// bounds and decodes the full image (DESIGN.md §6: provider output is untrusted).
enum PNGPayload {
    static func decode(base64 text: String, using client: ImageAPIClient) throws(ProviderError) -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw client.failure(.permanent, "image data is not valid base64")
        }
        let bytes = [UInt8](data)
        do {
            _ = try PNGDecoder.header(of: bytes)
        } catch {
            throw client.failure(.permanent, "image is not a usable PNG (\(bytes.count) bytes): \(error)")
        }
        return bytes
    }
}
