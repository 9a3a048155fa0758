import DesignProviders
import DesignWorker
import Imaging
import JobRuntime
import PNG
import Storage
import Testing

/// The three variants, without servers: what each claims to be, it is.
@Suite struct DesignRendererTests {
    private func art(background: ArtGenerator.Background = .flat) async throws -> [UInt8] {
        try await BuiltinProvider(background: background)
            .generate(ImageRequest(prompt: "a lighthouse at dusk", candidateIndex: 1, seed: 7, size: 256)).png
    }

    private func variant(_ variants: [EncodedVariant], _ kind: DesignVariant) throws -> (EncodedVariant, Image) {
        let encoded = try #require(variants.first { $0.variant == kind })
        return (encoded, try PNGDecoder.decode(encoded.png, as: .rgba8))
    }

    @Test func variantsHaveTheirProperties() async throws {
        let variants = try DesignRenderer.render(try await art(), configuration: DesignWorkerConfiguration())
        #expect(variants.map(\.variant) == [.original, .dtf, .backgroundRemoved])

        let (original, originalImage) = try variant(variants, .original)
        #expect(original.width == 256 && original.height == 256)
        #expect(alpha(originalImage, 0, 0) == 255, "the provider's flat background is kept in the original")

        // dtf: 300 DPI in pHYs, fitted to 3600×4800 (one side on the limit), alpha cleaned.
        let (dtf, dtfImage) = try variant(variants, .dtf)
        #expect(try PNGDecoder.header(of: dtf.png).dpi == 300)
        #expect(dtfImage.dpi == 300)
        #expect(dtf.width <= 3600 && dtf.height <= 4800)
        #expect(dtf.width == 3600 || dtf.height == 4800)
        #expect((dtf.width, dtf.height) == (dtfImage.width, dtfImage.height))
        let faint = dtfImage.pixels.withUnsafeBufferPointer { pixels in
            stride(from: 3, to: pixels.count, by: 4).count { pixels[$0] > 0 && pixels[$0] < 32 }
        }
        #expect(faint == 0, "no pixel with 0 < alpha < 32: film would print it as a speck")

        // background_removed: transparent corners, opaque subject.
        let (removed, removedImage) = try variant(variants, .backgroundRemoved)
        #expect(removed.width == 256 && removed.height == 256)
        for (x, y) in [(0, 0), (255, 0), (0, 255), (255, 255)] {
            #expect(alpha(removedImage, x, y) == 0)
        }
        #expect(alpha(removedImage, 128, 128) == 255)

        for variant in variants {
            #expect(variant.sha256 == ContentDigest.sha256(variant.png))
        }
    }

    @Test func notAPNGIsPermanentAndSaysSo() {
        let failure = #expect(throws: JobFailure.self) {
            try DesignRenderer.render(Array("<html>quota exceeded</html>".utf8), configuration: DesignWorkerConfiguration())
        }
        #expect(failure?.errorClass == .permanent)
        #expect(failure?.stage == "decode_png")
        #expect(failure?.message.contains("not a PNG") == true)
    }

    @Test func truncatedPNGIsPermanent() async throws {
        let png = try await art()
        let failure = #expect(throws: JobFailure.self) {
            try DesignRenderer.render(Array(png.prefix(png.count / 2)), configuration: DesignWorkerConfiguration())
        }
        #expect(failure?.errorClass == .permanent)
        #expect(failure?.stage == "decode_png")
    }

    @Test func overLimitIsRefusedFromTheHeaderAlone() throws {
        var configuration = DesignWorkerConfiguration()
        configuration.imageLimits = ImageLimits(maxWidth: 8192, maxHeight: 8192, maxPixels: 1_000_000)
        let wide = #expect(throws: JobFailure.self) {
            try DesignRenderer.render(try FixedBytesProvider.png(width: 9000, height: 1), configuration: configuration)
        }
        #expect(wide?.errorClass == .permanent)
        #expect(wide?.stage == "check_image")
        #expect(wide?.message.contains("width 9000 exceeds the limit of 8192") == true)

        let many = #expect(throws: JobFailure.self) {
            try DesignRenderer.render(try FixedBytesProvider.png(width: 2000, height: 600), configuration: configuration)
        }
        #expect(many?.message.contains("pixel count 1200000 exceeds the limit of 1000000") == true)
    }

    @Test func fullyTransparentDesignCannotBePrinted() throws {
        let empty = try PNGEncoder.encode(Image(width: 64, height: 64, format: .rgba8, pixels: [UInt8](repeating: 0, count: 64 * 64 * 4)))
        let failure = #expect(throws: JobFailure.self) { try DesignRenderer.render(empty, configuration: DesignWorkerConfiguration()) }
        #expect(failure?.errorClass == .permanent)
        #expect(failure?.stage == "prepare_dtf")
    }

    private func alpha(_ image: Image, _ x: Int, _ y: Int) -> UInt8 {
        image.pixels[(y * image.width + x) * 4 + 3]
    }
}
