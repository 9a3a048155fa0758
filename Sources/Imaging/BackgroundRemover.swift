/// Removes a uniform background that touches the image border.
///
/// 1. **Estimate** the background colour: the dominant colour of the border pixels
///    (a coarse histogram, then the mean of the winning bin). If fewer than
///    `minimumBorderShare` of the border pixels are within `tolerance` of it, there is no
///    uniform background and the image is returned unchanged.
/// 2. **Flood-fill** (4-connected, explicit stack — no recursion, so a 25 MP image cannot
///    overflow the call stack) from every matching border pixel through pixels within
///    `tolerance`. Only what is *connected to the border* is background: the inside of a
///    ring that happens to have the background colour stays part of the subject.
/// 3. Filled pixels become fully transparent.
/// 4. **Soft edge**: subject pixels next to the filled region are usually a blend of
///    subject and background (anti-aliasing). Each gets an alpha from how far it is from
///    the background relative to its most solid neighbour, and its colour is un-blended
///    from the background so no light halo remains (which would show on a dark garment).
public struct BackgroundRemover: Sendable, Hashable {
    /// Colour distance (in levels, see `ColorDistance`) within which a pixel counts as background.
    public var tolerance: Double
    /// The fraction of border pixels that must match the dominant colour.
    public var minimumBorderShare: Double
    /// Pixels with alpha below this count as already transparent.
    public var transparentBelow: UInt8

    public init(tolerance: Double = 32, minimumBorderShare: Double = 0.6, transparentBelow: UInt8 = 16) {
        self.tolerance = tolerance
        self.minimumBorderShare = minimumBorderShare
        self.transparentBelow = transparentBelow
    }

    /// Convenience for the default settings with a given tolerance.
    public static func remove(_ image: RGBAImage, tolerance: Double = 32) -> BackgroundRemoval {
        BackgroundRemover(tolerance: tolerance).remove(image)
    }

    public func remove(_ image: RGBAImage) -> BackgroundRemoval {
        let border = borderIndices(width: image.width, height: image.height)
        switch estimateBackground(image, border: border) {
        case .alreadyTransparent:
            return BackgroundRemoval(image: image, outcome: .alreadyTransparent)
        case .none:
            return BackgroundRemoval(image: image, outcome: .noUniformBackground)
        case .colour(let background):
            var result = image
            let cleared = fill(&result, from: border, background: background)
            return BackgroundRemoval(image: result, outcome: .removed(background: background, clearedPixels: cleared))
        }
    }

    enum Estimate {
        case alreadyTransparent
        case none
        case colour(RGBA)
    }

    /// Pixel indices of the outermost ring, each once.
    private func borderIndices(width: Int, height: Int) -> [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(2 * (width + height))
        for x in 0..<width {
            indices.append(x)
            if height > 1 { indices.append((height - 1) * width + x) }
        }
        if height > 2 {
            for y in 1..<(height - 1) {
                indices.append(y * width)
                if width > 1 { indices.append(y * width + width - 1) }
            }
        }
        return indices
    }

    private func estimateBackground(_ image: RGBAImage, border: [Int]) -> Estimate {
        var ring = [UInt8](repeating: 0, count: border.count * 4)
        for (n, index) in border.enumerated() {
            for channel in 0..<4 { ring[n * 4 + channel] = image.pixels[index * 4 + channel] }
        }
        return ring.withUnsafeBufferPointer { estimateBackground(border: $0) }
    }

    /// The background estimate from the border ring's pixels (RGBA8, each border pixel
    /// once, in any order: only counts and sums are taken).
    func estimateBackground(border pixels: UnsafeBufferPointer<UInt8>) -> Estimate {
        let count = pixels.count / 4
        var transparent = 0
        // 5 bits per channel: coarse enough that noise and JPEG-like dither land in one bin.
        var bins = [Int32](repeating: 0, count: 1 << 15)
        for n in 0..<count {
            let p = n * 4
            if pixels[p + 3] < transparentBelow {
                transparent += 1
                continue
            }
            bins[(Int(pixels[p]) >> 3) << 10 | (Int(pixels[p + 1]) >> 3) << 5 | Int(pixels[p + 2]) >> 3] += 1
        }
        let total = Double(count)
        if Double(transparent) >= minimumBorderShare * total { return .alreadyTransparent }
        guard let winner = bins.indices.max(by: { bins[$0] < bins[$1] }), bins[winner] > 0 else { return .none }
        var sum = (r: 0, g: 0, b: 0, n: 0)
        for n in 0..<count {
            let p = n * 4
            guard pixels[p + 3] >= transparentBelow else { continue }
            let bin = (Int(pixels[p]) >> 3) << 10 | (Int(pixels[p + 1]) >> 3) << 5 | Int(pixels[p + 2]) >> 3
            if bin == winner {
                sum.r += Int(pixels[p]); sum.g += Int(pixels[p + 1]); sum.b += Int(pixels[p + 2]); sum.n += 1
            }
        }
        let background = RGBA(UInt8(sum.r / sum.n), UInt8(sum.g / sum.n), UInt8(sum.b / sum.n))
        // Transparent border pixels are background too; count them towards the share.
        let limit = squaredLimit
        let matching = transparent + (0..<count).count { isBackground(pixels, $0 * 4, background, limit: limit) }
        return Double(matching) >= minimumBorderShare * total ? .colour(background) : .none
    }

    @inline(__always)
    func isBackground(_ pixels: UnsafeBufferPointer<UInt8>, _ p: Int, _ background: RGBA, limit: Int) -> Bool {
        if pixels[p + 3] < transparentBelow { return true }
        return ColorDistance.squared(Int(pixels[p]), Int(pixels[p + 1]), Int(pixels[p + 2]),
                                     Int(background.r), Int(background.g), Int(background.b)) <= limit
    }

    /// `9 × tolerance²`, the bound for `ColorDistance.squared`.
    var squaredLimit: Int { Int((9 * tolerance * tolerance).rounded(.down)) }

    /// Flood-fills from the border, clears the fill and softens its edge. Returns the cleared count.
    private func fill(_ image: inout RGBAImage, from border: [Int], background: RGBA) -> Int {
        let width = image.width, height = image.height
        let limit = squaredLimit
        // 0 = untouched, 1 = background (filled).
        var filled = [UInt8](repeating: 0, count: width * height)
        var stack: [Int] = []
        stack.reserveCapacity(4096)
        var cleared = 0
        image.pixels.withUnsafeMutableBufferPointer { mutablePixels in
            let pixels = UnsafeBufferPointer(mutablePixels)
            filled.withUnsafeMutableBufferPointer { filled in
                for index in border where filled[index] == 0 && isBackground(pixels, index * 4, background, limit: limit) {
                    filled[index] = 1
                    stack.append(index)
                }
                while let index = stack.popLast() {
                    cleared += 1
                    let x = index % width
                    // Mark when pushing, so each pixel enters the stack at most once.
                    if x > 0, filled[index - 1] == 0, isBackground(pixels, (index - 1) * 4, background, limit: limit) {
                        filled[index - 1] = 1; stack.append(index - 1)
                    }
                    if x < width - 1, filled[index + 1] == 0, isBackground(pixels, (index + 1) * 4, background, limit: limit) {
                        filled[index + 1] = 1; stack.append(index + 1)
                    }
                    if index >= width, filled[index - width] == 0, isBackground(pixels, (index - width) * 4, background, limit: limit) {
                        filled[index - width] = 1; stack.append(index - width)
                    }
                    if index + width < width * height, filled[index + width] == 0, isBackground(pixels, (index + width) * 4, background, limit: limit) {
                        filled[index + width] = 1; stack.append(index + width)
                    }
                }
                softenEdge(mutablePixels, filled: UnsafeBufferPointer(filled), width: width, height: height, background: background)
                for index in 0..<(width * height) where filled[index] == 1 {
                    let p = index * 4
                    mutablePixels[p] = 0; mutablePixels[p + 1] = 0; mutablePixels[p + 2] = 0; mutablePixels[p + 3] = 0
                }
            }
        }
        return cleared
    }
}
