import DesignProviders
import PNG
import Testing

@Suite("BuiltinProvider")
struct BuiltinProviderTests {
    private let provider = BuiltinProvider()

    @Test func sameRequestGivesByteIdenticalPNG() async throws {
        let request = ImageRequest(prompt: "a retro sunset over mountains", candidateIndex: 0, seed: 42, size: 128)
        let first = try await provider.generate(request)
        let second = try await BuiltinProvider().generate(request)

        #expect(first.png == second.png)
        #expect(first.costUnits == 0)
        let header = try PNGDecoder.header(of: first.png)
        #expect(header.width == 128)
        #expect(header.height == 128)
        #expect(header.hasTransparency)
    }

    @Test func candidatesSeedsAndFeedbackDiffer() async throws {
        let base = ImageRequest(prompt: "a retro sunset over mountains", candidateIndex: 0, seed: 42, size: 96)
        var otherCandidate = base
        otherCandidate.candidateIndex = 1
        var otherSeed = base
        otherSeed.seed = 43
        var withFeedback = base
        withFeedback.feedback = "make it blue"

        let images = try await [base, otherCandidate, otherSeed, withFeedback].asyncMap { try await provider.generate($0).png }
        #expect(Set(images).count == 4)
    }

    @Test func defaultSizeIs1024() async throws {
        let image = try await provider.generate(ImageRequest(prompt: "a fox", candidateIndex: 0, seed: 1))
        #expect(try PNGDecoder.header(of: image.png).width == 1024)
    }

    @Test(arguments: [0, 8, 100_000])
    func unusableSizesArePermanent(size: Int) async throws {
        let error = try #require(await TestSupport.providerError {
            try await provider.generate(ImageRequest(prompt: "a fox", candidateIndex: 0, seed: 1, size: size))
        })
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains("size \(size)"))
    }
}

extension Array where Element: Sendable {
    /// Sequential, in order: the builtin provider is CPU-bound, so parallelism buys nothing here.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
