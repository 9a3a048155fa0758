import Foundation
import Hummingbird

/// What the intake keeps in memory between requests, each kept current by the NOTIFYs the
/// schema sends (migration 0008) and dropped whole while the LISTEN connection is down.
struct IntakeCaches: Sendable {
    /// A product's display list with its owner (so another shop's key never reads it), and
    /// the response body signed for one expiry: signed URLs expire on the hour, so the same
    /// bytes answer every request of that hour. Keyed by product id; `itp_product` invalidates.
    struct Gallery: Sendable {
        var ownerID: UUID
        var view: GalleryView
        /// The `expires` of every signed URL in `body`.
        var expires: Int
        var body: ByteBuffer
    }

    /// An API key that authenticated: the sha256 of its secret and who it is. Keyed by
    /// prefix; `itp_api_key` (revocation, deletion, a new secret) invalidates.
    struct Key: Sendable {
        var secretSHA256: [UInt8]
        var caller: Caller
    }

    static let productChannel = "itp_product"
    static let apiKeyChannel = "itp_api_key"

    let galleries: NotifiedCache<UUID, Gallery>
    let keys: NotifiedCache<String, Key>

    /// A key is looked up again (and its `last_used_at` refreshed) once a minute.
    init(galleryCapacity: Int = 10_000, keyCapacity: Int = 10_000) {
        galleries = NotifiedCache(capacity: galleryCapacity, maxAge: .seconds(30))
        keys = NotifiedCache(capacity: keyCapacity, maxAge: .seconds(60))
    }

    func listening(_ connected: Bool) {
        galleries.listening(connected)
        keys.listening(connected)
    }
}
