/// Resizes an RGBA8 image that arrives one row at a time, emitting output rows as soon
/// as they can be computed — so a 4500×5400 design read by a PNG row decoder can be
/// scaled while holding only a few rows, never the whole input.
///
/// Separable filtering in two passes: each input row is filtered horizontally once, at
/// arrival, into a ring of `ringSize` output-width rows; each output row is then the
/// vertical weighted sum of the ring rows its window covers. Memory is
/// `O(inputWidth + ringSize × outputWidth)`.
///
/// The arithmetic is done on **premultiplied** alpha in `Float`: a transparent pixel then
/// contributes nothing, whereas filtering straight RGBA would blend the (meaningless,
/// often black) colour of transparent pixels into the edge and leave a dark fringe.
/// Results are un-premultiplied, rounded and clamped to 0…255.
///
/// ```swift
/// let resizer = StreamingResizer(inputWidth: 4500, inputHeight: 5400, outputWidth: 3600, outputHeight: 4320)
/// while let row = try reader.nextRow() {
///     resizer.push(row: row) { y, out in encoder.write(row: out) }
/// }
/// ```
///
/// Not thread-safe (one owner at a time). Output rows are handed to `emit` in order,
/// `y` from 0; the buffer is only valid during the call.
public final class StreamingResizer {
    public let inputWidth: Int
    public let inputHeight: Int
    public let outputWidth: Int
    public let outputHeight: Int
    public let filter: ResamplingFilter
    /// Input rows accepted so far.
    public private(set) var rowsPushed = 0
    /// Output rows emitted so far.
    public private(set) var rowsEmitted = 0
    /// `true` once every output row has been emitted (which happens with the last input row).
    public var isFinished: Bool { rowsEmitted == outputHeight }

    private let horizontal: ResamplingWeights
    private let vertical: ResamplingWeights
    private let ringSize: Int
    /// One premultiplied input row, then `horizontal.taps` zero pixels: the horizontal
    /// loop runs `taps` taps from every window start, the padding is read with weight 0.
    private let source: UnsafeMutablePointer<SIMD4<Float>>
    /// `ringSize` horizontally filtered rows; input row `i` lives in slot `i % ringSize`.
    private let ring: UnsafeMutablePointer<SIMD4<Float>>
    /// The vertical sums for one block of an output row (small enough to stay in L1).
    private let accumulator: UnsafeMutablePointer<SIMD4<Float>>
    private let output: UnsafeMutablePointer<UInt8>
    /// Pixels per block of the vertical pass: 4 KB of sums.
    private static let block = 256

    /// All sizes must be positive.
    public init(inputWidth: Int, inputHeight: Int, outputWidth: Int, outputHeight: Int, filter: ResamplingFilter = .lanczos3) {
        precondition(inputWidth > 0 && inputHeight > 0 && outputWidth > 0 && outputHeight > 0, "sizes must be positive")
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        self.filter = filter
        horizontal = ResamplingWeights(source: inputWidth, destination: outputWidth, filter: filter)
        vertical = ResamplingWeights(source: inputHeight, destination: outputHeight, filter: filter)
        ringSize = vertical.ringSize
        source = .allocate(capacity: inputWidth + horizontal.taps)
        source.initialize(repeating: .zero, count: inputWidth + horizontal.taps)
        ring = .allocate(capacity: ringSize * outputWidth)
        accumulator = .allocate(capacity: Self.block)
        output = .allocate(capacity: outputWidth * 4)
    }

    deinit {
        source.deallocate()
        ring.deallocate()
        accumulator.deallocate()
        output.deallocate()
    }

    /// Accepts the next input row (`inputWidth * 4` straight-alpha RGBA bytes) and calls
    /// `emit(y, row)` for every output row that became computable, in order.
    public func push(row: UnsafeBufferPointer<UInt8>, emit: (_ y: Int, _ row: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        precondition(row.count == inputWidth * 4, "row must be inputWidth * 4 bytes")
        precondition(rowsPushed < inputHeight, "more rows pushed than inputHeight")
        premultiply(row)
        filterHorizontally(into: ring + (rowsPushed % ringSize) * outputWidth)
        rowsPushed += 1
        // Output row y needs source rows starts[y] ..< starts[y] + counts[y].
        while rowsEmitted < outputHeight, vertical.starts[rowsEmitted] + vertical.counts[rowsEmitted] <= rowsPushed {
            filterVertically(row: rowsEmitted)
            let y = rowsEmitted
            rowsEmitted += 1
            try emit(y, UnsafeBufferPointer(start: output, count: outputWidth * 4))
        }
    }

    /// Accepts the next input row; the array form of the buffer-pointer overload.
    public func push(row: [UInt8], emit: (_ y: Int, _ row: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try row.withUnsafeBufferPointer { try push(row: $0, emit: emit) }
    }

    /// ``source`` from straight RGBA bytes: (r, g, b) × a / 255, and a.
    private func premultiply(_ row: UnsafeBufferPointer<UInt8>) {
        let bytes = UnsafeRawPointer(row.baseAddress!)
        // Whole-vector arithmetic only (each select or lane insert became a shuffle or a
        // scalar path): bytes to floats exactly through the bits of 2²³ + n, and the factor
        // (a/255, a/255, a/255, 1) as a × (1/255, 1/255, 1/255, 0) + (0, 0, 0, 1).
        let colourLanes = SIMD4<Float>(1 / 255, 1 / 255, 1 / 255, 0)
        let alphaLane = SIMD4<Float>(0, 0, 0, 1)
        for x in 0..<inputWidth {
            let pixel = SIMD4<UInt32>(truncatingIfNeeded: bytes.loadUnaligned(fromByteOffset: x &* 4, as: SIMD4<UInt8>.self))
            let value = unsafeBitCast(pixel | 0x4B00_0000, to: SIMD4<Float>.self) - 8_388_608
            source[x] = value * (SIMD4(repeating: value.w) * colourLanes + alphaLane)
        }
    }

    private func filterHorizontally(into destination: UnsafeMutablePointer<SIMD4<Float>>) {
        horizontal.starts.withUnsafeBufferPointer { starts in
            horizontal.weights.withUnsafeBufferPointer { weights in
                let stride = horizontal.stride
                let taps = horizontal.taps
                // Every pixel runs the same number of taps (the weights past its window are
                // 0), two pixels at a time, each in two sums (even and odd taps): four
                // independent chains of adds where one serial chain was latency-bound, and
                // no trip count varying per pixel to mispredict.
                let pairs = taps / 2
                let odd = !taps.isMultiple(of: 2)
                var x = 0
                while x < outputWidth {
                    // The last pixel of an odd width is paired with itself, its sum stored twice.
                    let y = min(x + 1, outputWidth - 1)
                    let p = source + starts[x], q = source + starts[y]
                    let v = weights.baseAddress! + x * stride, w = weights.baseAddress! + y * stride
                    var p0 = SIMD4<Float>.zero, p1 = SIMD4<Float>.zero, q0 = SIMD4<Float>.zero, q1 = SIMD4<Float>.zero
                    for k in Swift.stride(from: 0, to: pairs * 2, by: 2) {
                        p0 += p[k] * v[k]
                        p1 += p[k + 1] * v[k + 1]
                        q0 += q[k] * w[k]
                        q1 += q[k + 1] * w[k + 1]
                    }
                    if odd {
                        let k = taps - 1
                        p0 += p[k] * v[k]
                        q0 += q[k] * w[k]
                    }
                    destination[x] = p0 + p1
                    destination[y] = q0 + q1
                    x += 2
                }
            }
        }
    }

    /// Output row `y`: the vertical sums, un-premultiplied into ``output``, block by block
    /// so the sums stay in L1 between taps.
    private func filterVertically(row y: Int) {
        let start = vertical.starts[y]
        let count = vertical.counts[y]
        let width = outputWidth
        vertical.weights.withUnsafeBufferPointer { weights in
            let w = weights.baseAddress! + y * vertical.stride
            func line(_ k: Int) -> UnsafeMutablePointer<SIMD4<Float>> { ring + ((start + k) % ringSize) * width }
            var x0 = 0
            while x0 < width {
                let n = min(Self.block, width - x0)
                // Tap by tap over the block, two taps at a time: contiguous streams the
                // compiler vectorises, and half the loads and stores of the sums.
                var k: Int
                if count.isMultiple(of: 2) {
                    let (a, b, wa, wb) = (line(0) + x0, line(1) + x0, w[0], w[1])
                    for x in 0..<n { accumulator[x] = a[x] * wa + b[x] * wb }
                    k = 2
                } else {
                    let (a, wa) = (line(0) + x0, w[0])
                    for x in 0..<n { accumulator[x] = a[x] * wa }
                    k = 1
                }
                while k < count {
                    let (a, b, wa, wb) = (line(k) + x0, line(k + 1) + x0, w[k], w[k + 1])
                    for x in 0..<n { accumulator[x] += a[x] * wa + b[x] * wb }
                    k += 2
                }
                unpremultiply(n, into: output + x0 * 4)
                x0 += n
            }
        }
    }

    /// The first `n` sums of ``accumulator`` as straight-alpha bytes at `bytes`.
    private func unpremultiply(_ n: Int, into bytes: UnsafeMutablePointer<UInt8>) {
        let pixels = UnsafeMutableRawPointer(bytes)
        let colourLanes = SIMD4<Float>(1, 1, 1, 0)
        let alphaLane = SIMD4<Float>(0, 0, 0, 1)
        for x in 0..<n {
            let v = accumulator[x]
            let alpha = v.w
            if alpha < 0.5 {
                pixels.storeBytes(of: 0, toByteOffset: x &* 4, as: UInt32.self)
                continue
            }
            // Opaque pixels (most of a design) need no division.
            let scale: Float = alpha >= 254.5 ? 1 : 255 / alpha
            let straight = v * (SIMD4(repeating: scale) * colourLanes + alphaLane)
            pixels.storeBytes(of: Self.bytes(straight), toByteOffset: x &* 4, as: UInt32.self)
        }
    }

    /// The four lanes rounded (half to even) and clamped to 0…255, as the bytes of a
    /// `UInt32` in lane order. Negative lobes can push alpha outside 0…255 and colour above
    /// alpha: both are clamped. Adding 1.5 × 2²³ leaves the rounded integer in the low
    /// mantissa bits (exact for |value| < 2²²; here |value| ≤ 255 × 2² × 510 < 2²⁰), which
    /// avoids checked float-to-int conversions; the compiler turns the integer clamp and
    /// narrowing into two saturating packs.
    @inline(__always)
    private static func bytes(_ value: SIMD4<Float>) -> UInt32 {
        var integers = unsafeBitCast(value + SIMD4(repeating: 12_582_912), to: SIMD4<Int32>.self) &- 0x4B40_0000
        integers.replace(with: 0, where: integers .< 0)
        integers.replace(with: 255, where: integers .> 255)
        return unsafeBitCast(SIMD4<UInt8>(truncatingIfNeeded: integers), to: UInt32.self)
    }
}

/// One owner at a time: the resizer mutates its row buffers on every push.
@available(*, unavailable)
extension StreamingResizer: Sendable {}
