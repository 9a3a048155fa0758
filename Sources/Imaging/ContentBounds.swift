/// The box of visible pixels, gathered one row at a time (``Trim`` over a whole image,
/// ``StreamingDTFPrinter`` over rows as they pass).
struct ContentBounds {
    let minimumAlpha: UInt8
    private var minX = Int.max, maxX = -1, minY = -1, maxY = -1

    init(minimumAlpha: UInt8 = 1) {
        self.minimumAlpha = minimumAlpha
    }

    /// Takes row `y` (RGBA8, `width` pixels) into account. Rows may come in any order.
    mutating func include(row pixels: UnsafeBufferPointer<UInt8>, y: Int, width: Int) {
        // Find this row's first and last visible pixel; skip the middle once both
        // are known to lie inside the current box (the common case).
        var first = -1
        for x in 0..<width where pixels[x * 4 + 3] >= minimumAlpha {
            first = x
            break
        }
        if first < 0 { return }
        var last = first
        for x in stride(from: width - 1, to: first, by: -1) where pixels[x * 4 + 3] >= minimumAlpha {
            last = x
            break
        }
        include(x: first, y: y)
        include(x: last, y: y)
    }

    /// Takes one visible pixel into account.
    mutating func include(x: Int, y: Int) {
        minY = minY < 0 ? y : min(minY, y)
        maxY = max(maxY, y)
        minX = min(minX, x)
        maxX = max(maxX, x)
    }

    /// The smallest rectangle holding every visible pixel seen, or `nil` when there was none.
    var rect: PixelRect? {
        guard minY >= 0 else { return nil }
        return PixelRect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }
}
