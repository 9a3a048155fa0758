/// Area-averaging ("box", exact fractional coverage) downscaler fed one RGBA8 row at a
/// time, so a 4500×5400 design can be shrunk to a print area while only one source row
/// and two output rows of accumulators are in memory besides the result.
///
/// Averages premultiplied colour, so transparent pixels never darken the edges of a
/// design (straight-alpha averaging pulls their black RGB into the border).
public struct CompositeDownscaler {
    public let sourceWidth: Int
    public let sourceHeight: Int
    public let targetWidth: Int
    public let targetHeight: Int
    /// Source rows appended so far.
    public private(set) var rowsAppended = 0

    /// Per source column: the target column it starts in and the share of it in that column.
    private let columnBin: [Int32]
    private let columnShare: [Float]
    /// Source pixels per target column, for normalisation.
    private let columnWeight: [Float]
    private let scaleY: Double
    private var horizontal: [Float]
    private var current: [Float]
    private var next: [Float]
    private var currentWeight: Float = 0
    private var nextWeight: Float = 0
    private var currentRow = 0
    private var output: RGBAImage

    /// - Precondition: `0 < target ≤ source` in both dimensions.
    public init(sourceWidth: Int, sourceHeight: Int, targetWidth: Int, targetHeight: Int) {
        precondition(targetWidth > 0 && targetHeight > 0 && targetWidth <= sourceWidth && targetHeight <= sourceHeight,
                     "the downscaler only shrinks")
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.targetWidth = targetWidth
        self.targetHeight = targetHeight
        let scaleX = Double(targetWidth) / Double(sourceWidth)
        var bins = [Int32](repeating: 0, count: sourceWidth)
        var shares = [Float](repeating: 1, count: sourceWidth)
        var weights = [Float](repeating: 0, count: targetWidth + 1)
        for x in 0..<sourceWidth {
            let start = Double(x) * scaleX, end = Double(x + 1) * scaleX
            let bin = min(Int(start), targetWidth - 1)
            // A source pixel (scaleX ≤ 1 target pixels wide) straddles at most one boundary.
            let share = end > Double(bin + 1) ? (Double(bin + 1) - start) / scaleX : 1
            bins[x] = Int32(bin)
            shares[x] = Float(share)
            weights[bin] += Float(share)
            weights[bin + 1] += Float(1 - share)
        }
        columnBin = bins
        columnShare = shares
        columnWeight = Array(weights.prefix(targetWidth))
        scaleY = Double(targetHeight) / Double(sourceHeight)
        // One spare column so the straddling share of the last source pixel has somewhere to go.
        horizontal = [Float](repeating: 0, count: (targetWidth + 1) * 4)
        current = [Float](repeating: 0, count: targetWidth * 4)
        next = current
        output = RGBAImage(width: targetWidth, height: targetHeight)
    }

    /// Adds the next source row (`sourceWidth * 4` bytes of straight-alpha RGBA8).
    public mutating func append(row: UnsafeBufferPointer<UInt8>) {
        precondition(row.count >= sourceWidth * 4 && rowsAppended < sourceHeight, "row too short or too many rows")
        accumulateHorizontally(row)
        let y = rowsAppended
        rowsAppended += 1
        let start = Double(y) * scaleY, end = Double(y + 1) * scaleY
        let bin = min(Int(start), targetHeight - 1)
        while currentRow < bin { emitCurrentRow() }
        let share = end > Double(bin + 1) ? Float((Double(bin + 1) - start) / scaleY) : 1
        add(share, into: &current)
        currentWeight += share
        if share < 1 {
            add(1 - share, into: &next)
            nextWeight += 1 - share
        }
        if rowsAppended == sourceHeight {
            while currentRow < targetHeight { emitCurrentRow() }
        }
    }

    /// Adds the next source row from an array.
    public mutating func append(row: [UInt8]) {
        row.withUnsafeBufferPointer { append(row: $0) }
    }

    /// The downscaled image. - Precondition: every source row has been appended.
    public func finish() -> RGBAImage {
        precondition(rowsAppended == sourceHeight, "not every row was appended")
        return output
    }

    /// Shrinks a whole image (for images already in memory).
    public static func downscale(_ image: RGBAImage, width: Int, height: Int) -> RGBAImage {
        var scaler = CompositeDownscaler(sourceWidth: image.width, sourceHeight: image.height,
                                         targetWidth: width, targetHeight: height)
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                scaler.append(row: UnsafeBufferPointer(rebasing: pixels[(y * image.width * 4)..<((y + 1) * image.width * 4)]))
            }
        }
        return scaler.finish()
    }

    private mutating func accumulateHorizontally(_ row: UnsafeBufferPointer<UInt8>) {
        let width = sourceWidth
        horizontal.withUnsafeMutableBufferPointer { sums in
            sums.update(repeating: 0)
            columnBin.withUnsafeBufferPointer { bins in
                columnShare.withUnsafeBufferPointer { shares in
                    for x in 0..<width {
                        let alpha = row[x * 4 + 3]
                        // Fully transparent pixels add nothing: skip the arithmetic (designs
                        // are often mostly transparent after background removal).
                        if alpha == 0 { continue }
                        let a = Float(alpha)
                        let premultiplied = SIMD4<Float>(Float(row[x * 4]) * a, Float(row[x * 4 + 1]) * a,
                                                         Float(row[x * 4 + 2]) * a, a * 255)
                        let bin = Int(bins[x]) * 4
                        let share = shares[x]
                        Self.addScaled(premultiplied, share, sums, at: bin)
                        if share < 1 { Self.addScaled(premultiplied, 1 - share, sums, at: bin + 4) }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func addScaled(_ value: SIMD4<Float>, _ weight: Float, _ sums: UnsafeMutableBufferPointer<Float>, at index: Int) {
        sums[index] += value.x * weight
        sums[index + 1] += value.y * weight
        sums[index + 2] += value.z * weight
        sums[index + 3] += value.w * weight
    }

    private func add(_ weight: Float, into accumulator: inout [Float]) {
        let count = targetWidth * 4
        horizontal.withUnsafeBufferPointer { source in
            accumulator.withUnsafeMutableBufferPointer { target in
                for index in 0..<count { target[index] += source[index] * weight }
            }
        }
    }

    /// Normalises and un-premultiplies the current output row, then moves on to the next.
    private mutating func emitCurrentRow() {
        let y = currentRow
        let width = targetWidth
        let rowWeight = currentWeight
        current.withUnsafeBufferPointer { sums in
            columnWeight.withUnsafeBufferPointer { weights in
                output.pixels.withUnsafeMutableBufferPointer { pixels in
                    let base = y * width * 4
                    for x in 0..<width {
                        let area = weights[x] * rowWeight
                        let alphaSum = sums[x * 4 + 3]
                        guard area > 0, alphaSum > 0 else { continue }  // stays transparent
                        // Colour sums are c·a·255-weighted; dividing by the alpha sum undoes both.
                        let scale = 255 / alphaSum
                        pixels[base + x * 4] = UInt8(min(255, (sums[x * 4] * scale + 0.5)))
                        pixels[base + x * 4 + 1] = UInt8(min(255, (sums[x * 4 + 1] * scale + 0.5)))
                        pixels[base + x * 4 + 2] = UInt8(min(255, (sums[x * 4 + 2] * scale + 0.5)))
                        pixels[base + x * 4 + 3] = UInt8(min(255, (alphaSum / area / 255 + 0.5)))
                    }
                }
            }
        }
        swap(&current, &next)
        next.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        currentWeight = nextWeight
        nextWeight = 0
        currentRow += 1
    }
}
