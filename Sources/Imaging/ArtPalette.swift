/// The colours of one artwork, derived from colour words in the prompt (and feedback)
/// where there are any — "ocean" art is blue — and from the random stream otherwise.
struct ArtPalette {
    /// Straight-alpha colours, components 0…1.
    typealias Colour = SIMD4<Double>

    var paper: Colour
    var dark: Colour
    var base: Colour
    var accent: Colour
    var light: Colour
    /// Band colours for waves, darkest last.
    var bands: [Colour]

    /// Hue in degrees for words people use in prompts.
    private static let hues: [String: Double] = [
        "red": 0, "crimson": 350, "ruby": 345, "fire": 10, "flame": 15, "cherry": 350, "rose": 340,
        "orange": 28, "autumn": 25, "sunset": 18, "amber": 40, "copper": 22, "peach": 24,
        "yellow": 52, "gold": 45, "golden": 45, "sun": 48, "sunny": 50, "lemon": 56, "desert": 38, "sand": 40,
        "green": 120, "forest": 130, "jungle": 115, "lime": 90, "mint": 150, "leaf": 105, "emerald": 140, "nature": 110,
        "teal": 175, "turquoise": 172, "cyan": 185, "aqua": 180,
        "blue": 215, "ocean": 205, "sea": 200, "sky": 200, "water": 205, "navy": 225, "ice": 195, "winter": 200, "wave": 205,
        "purple": 275, "violet": 270, "lavender": 265, "galaxy": 260, "space": 250, "cosmic": 265, "night": 235,
        "pink": 330, "magenta": 310, "candy": 320, "blossom": 335,
        "brown": 25, "coffee": 25, "chocolate": 20, "wood": 30,
    ]

    init(prompt: String, feedback: String?, random: inout ArtRandom) {
        let words = Self.words(in: (feedback.map { $0 + " " } ?? "") + prompt)
        let named = words.compactMap { Self.hues[$0] }
        let baseHue = named.first ?? random.unit(0...360)
        // Two colour words: the second is the accent; otherwise a random harmony.
        let accentHue: Double
        if named.count > 1, let second = named.dropFirst().first(where: { abs($0 - baseHue) > 15 }) {
            accentHue = second
        } else {
            let harmony = [30.0, -30, 180, 120, -120, 150][random.int(0...5)]
            accentHue = baseHue + harmony
        }
        var saturation = random.unit(0.55...0.9)
        var lightShift = 0.0
        if words.contains(where: { ["pastel", "soft", "gentle", "baby"].contains($0) }) { saturation = 0.45; lightShift = 0.12 }
        if words.contains(where: { ["neon", "vivid", "bright", "electric"].contains($0) }) { saturation = 1 }
        if words.contains(where: { ["dark", "noir", "gothic", "midnight", "black", "shadow"].contains($0) }) { lightShift = -0.12 }
        func colour(_ hue: Double, _ s: Double, _ l: Double) -> Colour {
            Self.hsl(hue, s, min(max(l + lightShift, 0.04), 0.96))
        }
        paper = Self.hsl(baseHue, 0.18, 0.95)
        dark = colour(baseHue + random.unit(-10...10), saturation, 0.18)
        base = colour(baseHue, saturation, 0.45)
        accent = colour(accentHue, min(saturation + 0.1, 1), 0.58)
        light = colour(accentHue + random.unit(-20...20), 0.35, 0.88)
        let bandCount = random.int(2...4)
        bands = (0..<bandCount).map { i in
            let t = Double(i + 1) / Double(bandCount + 1)
            return colour(baseHue + (accentHue - baseHue) * (1 - t) * 0.5, saturation, 0.62 - 0.4 * t)
        }
    }

    /// Lowercased ASCII letter runs.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            let lower = byte | 0x20
            if lower >= 0x61 && lower <= 0x7A && (byte >= 0x41) {
                current.append(lower)
            } else if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// HSL (hue in degrees, s and l in 0…1) to opaque RGB in 0…1.
    static func hsl(_ hue: Double, _ s: Double, _ l: Double) -> Colour {
        var h = hue.truncatingRemainder(dividingBy: 360)
        if h < 0 { h += 360 }
        let c = (1 - abs(2 * l - 1)) * s
        let hp = h / 60
        let x = c * (1 - abs(hp.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) = switch Int(hp) {
        case 0: (c, x, 0)
        case 1: (x, c, 0)
        case 2: (0, c, x)
        case 3: (0, x, c)
        case 4: (x, 0, c)
        default: (c, 0, x)
        }
        let m = l - c / 2
        return Colour(r + m, g + m, b + m, 1)
    }
}
