import Dispatch
import Imaging
import Metrics
public import Storage
import Vocabulary

/// Serves stored images at full size or as a thumbnail, making each thumbnail once and
/// keeping it in asset storage under ``ThumbnailKey`` (DESIGN.md §9: images load at display
/// size, thumbnails cached in asset storage). A served image is one storage read; only the
/// first request for a thumbnail decodes, resamples and encodes, on a dispatch queue of its
/// own, never on the cooperative pool.
///
/// It knows nothing of owners or signatures: the caller decides who may see the asset
/// (the API key's owner, a builder session, a signed URL) and hands over its row.
public final class AssetImageStore: Sendable {
    private let storage: any AssetStorage
    private let work = DispatchQueue(label: "itp.thumbnails", qos: .userInitiated, attributes: .concurrent)
    private let flights = RenderFlights()

    public init(storage: any AssetStorage) {
        self.storage = storage
    }

    /// The bytes to serve for `image` at `width` (nil: full size). A width the image is not
    /// wider than serves the original: thumbnails are never upscaled.
    ///
    /// - Throws: ``StorageError`` (`.notFound` when the blob is missing), or the renderer's
    ///   `PNGError` for a corrupt source.
    public func image(_ image: StoredImage, width: ThumbnailWidth?) async throws -> ServedImage {
        let source = try StorageKey(image.storageKey)
        let tag = image.entityTag(width)
        guard let width, image.needsThumbnail(width) else {
            return ServedImage(bytes: try await storage.get(source), contentType: image.contentType, entityTag: tag)
        }
        let key = try ThumbnailKey.derived(from: source, width: width)
        if let cached = try await cached(key) {
            return ServedImage(bytes: cached, contentType: Self.thumbnailType, entityTag: tag)
        }
        let bytes = try await flights.run(key) { [self] in
            // Made by another request while this one looked?
            if let cached = try await cached(key) { return cached }
            let original = try await storage.get(source)
            guard let rendered = try await render(original, width: width) else {
                // The row said wider than it is: serve the original, cache nothing.
                return original
            }
            try await storage.put(key, bytes: rendered, contentType: Self.thumbnailType)
            return rendered
        }
        return ServedImage(bytes: bytes, contentType: Self.thumbnailType, entityTag: tag)
    }

    /// Deletes every thumbnail of the asset stored under `storageKey` (with the asset's blob).
    public func deleteThumbnails(of storageKey: String) async throws {
        for key in try ThumbnailKey.all(from: try StorageKey(storageKey)) {
            try await storage.delete(key)
        }
    }

    static let thumbnailType = "image/png"

    private func cached(_ key: StorageKey) async throws -> [UInt8]? {
        do {
            return try await storage.get(key)
        } catch let error as StorageError where error.code == .notFound {
            return nil
        }
    }

    private func render(_ png: [UInt8], width: ThumbnailWidth) async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            work.async {
                continuation.resume(with: Result {
                    let (value, cpuSeconds) = try ImageWorkClock.measure { try ThumbnailRenderer.render(png, width: width) }
                    FloatingPointCounter(label: MetricName.imageWorkCPU, dimensions: [("work", "thumbnail")]).increment(by: cpuSeconds)
                    return value
                })
            }
        }
    }
}
