/// A seeded, portable PRNG (xoshiro256**, seeded through SplitMix64) and the stable
/// hash that turns a prompt into its seed.
///
/// Why not Swift's `Hasher` or `SystemRandomNumberGenerator`: `Hasher` is randomly
/// seeded per process, and the art generator promises byte-identical output for the same
/// inputs in every process, on every machine, forever.
struct ArtRandom: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var mixer = seed
        state = (Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer))
    }

    static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// Uniform in `range`, from the top 53 bits (so exactly reproducible; the standard
    /// library's `Double.random(in:using:)` algorithm is not a documented contract).
    mutating func unit(_ range: ClosedRange<Double> = 0...1) -> Double {
        let u = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992)
        return range.lowerBound + u * (range.upperBound - range.lowerBound)
    }

    /// Uniform integer in `range` (modulo bias is irrelevant for art).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// FNV-1a over the inputs, with separators so ("ab", "c") ≠ ("a", "bc"), finished
    /// with SplitMix64 so nearby seeds and candidates give unrelated streams. The version
    /// tag changes whenever the art algorithm changes on purpose.
    static func seed(prompt: String, feedback: String?, seed: UInt64, candidate: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        for byte in "itp-art-v1".utf8 { mix(byte) }
        mix(0xFF)
        for byte in prompt.utf8 { mix(byte) }
        mix(0xFF)
        if let feedback {
            mix(0x01)
            for byte in feedback.utf8 { mix(byte) }
        } else {
            mix(0x00)
        }
        var x = hash ^ seed
        x = splitMix(&x) ^ UInt64(bitPattern: Int64(candidate))
        return splitMix(&x)
    }
}
