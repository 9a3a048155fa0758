import Dispatch
import Metrics
public import Imaging
public import PNG
import Vocabulary

/// The offline, built-in provider (the embedded default): ``ArtGenerator`` artwork from
/// the prompt, seed, candidate index and feedback, encoded as PNG. No network, no key.
///
/// Deterministic: the same request gives byte-identical PNG bytes, because the art is
/// exact and the encoder settings are pinned in ``encodingOptions`` rather than taken
/// from the PNG module's defaults (which may be retuned).
public struct BuiltinProvider: ImageProvider {
    /// The only model: bump it if the art or the pinned encoding ever changes output.
    public static let modelName = "art-generator-v1"
    /// Pinned so that a change of `EncodingOptions` defaults cannot change our bytes.
    public static let encodingOptions = EncodingOptions(compressionLevel: 6, filters: .all, strategy: .filtered)
    /// Edges accepted from a request: `ArtGenerator` traps below 16 pixels, and the upper
    /// bound keeps a bad request from allocating gigabytes.
    public static let sizeRange = 16...4096

    public var name: String { ProviderKind.builtin.rawValue }
    public var model: String { Self.modelName }
    /// Whether the art sits on a flat opaque background (like most image APIs return)
    /// instead of a transparent one.
    public var background: ArtGenerator.Background

    public init(background: ArtGenerator.Background = .transparent) {
        self.background = background
    }

    /// Draws and encodes `request.size`² pixels. Costs 0 units.
    public func generate(_ request: ImageRequest) async throws -> GeneratedImage {
        guard Self.sizeRange.contains(request.size) else {
            throw ProviderError(.permanent, "builtin: size \(request.size) outside \(Self.sizeRange.lowerBound)...\(Self.sizeRange.upperBound)")
        }
        let background = self.background
        // Drawing and deflating a megapixel takes a while of pure CPU: keep it off the
        // cooperative pool, as the PNG module asks.
        let result: Result<[UInt8], ProviderError> = await withCheckedContinuation { continuation in
            DispatchQueue(label: "itp.provider.builtin").async {
                let (rendered, cpuSeconds) = ImageWorkClock.measure { Self.render(request, background: background) }
                FloatingPointCounter(label: MetricName.imageWorkCPU, dimensions: [("work", "provider_builtin")]).increment(by: cpuSeconds)
                continuation.resume(returning: rendered)
            }
        }
        return GeneratedImage(png: try result.get(), costUnits: 0)
    }

    static func render(_ request: ImageRequest, background: ArtGenerator.Background) -> Result<[UInt8], ProviderError> {
        let art = ArtGenerator.generate(
            prompt: request.prompt, seed: request.seed, candidate: request.candidateIndex,
            size: request.size, feedback: request.feedback, background: background)
        let image = Image(width: art.width, height: art.height, format: .rgba8, pixels: art.pixels)
        do {
            return .success(try PNGEncoder.encode(image, options: encodingOptions))
        } catch {
            return .failure(ProviderError(.permanent, "builtin: PNG encoding failed: \(error)"))
        }
    }
}
