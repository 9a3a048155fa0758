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
    /// One premultiplied input row.
    private let source: UnsafeMutablePointer<SIMD4<Float>>
    /// `ringSize` horizontally filtered rows; input row `i` lives in slot `i % ringSize`.
    private let ring: UnsafeMutablePointer<SIMD4<Float>>
    /// The vertical sum for one output row.
    private let accumulator: UnsafeMutablePointer<SIMD4<Float>>
    private let output: UnsafeMutablePointer<UInt8>

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
        source = .allocate(capacity: inputWidth)
        ring = .allocate(capacity: ringSize * outputWidth)
        accumulator = .allocate(capacity: outputWidth)
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
            unpremultiply()
            let y = rowsEmitted
            rowsEmitted += 1
            try emit(y, UnsafeBufferPointer(start: output, count: outputWidth * 4))
        }
    }

    /// Accepts the next input row; the array form of the buffer-pointer overload.
    public func push(row: [UInt8], emit: (_ y: Int, _ row: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try row.withUnsafeBufferPointer { try push(row: $0, emit: emit) }
    }

    private func premultiply(_ row: UnsafeBufferPointer<UInt8>) {
        let bytes = row.baseAddress!
        for x in 0..<inputWidth {
            let p = bytes + x * 4
            let alpha = Float(p[3])
            let factor = alpha * (1 / 255)
            source[x] = SIMD4(Float(p[0]) * factor, Float(p[1]) * factor, Float(p[2]) * factor, alpha)
        }
    }

    private func filterHorizontally(into destination: UnsafeMutablePointer<SIMD4<Float>>) {
        horizontal.starts.withUnsafeBufferPointer { starts in
            horizontal.counts.withUnsafeBufferPointer { counts in
                horizontal.weights.withUnsafeBufferPointer { weights in
                    let stride = horizontal.stride
                    for x in 0..<outputWidth {
                        let taps = source + starts[x]
                        let w = weights.baseAddress! + x * stride
                        var sum = SIMD4<Float>.zero
                        for k in 0..<counts[x] {
                            sum += taps[k] * w[k]
                        }
                        destination[x] = sum
                    }
                }
            }
        }
    }

    private func filterVertically(row y: Int) {
        let start = vertical.starts[y]
        let count = vertical.counts[y]
        let width = outputWidth
        vertical.weights.withUnsafeBufferPointer { weights in
            let w = weights.baseAddress! + y * vertical.stride
            // Tap by tap over whole rows: contiguous streams the compiler vectorises.
            let first = ring + (start % ringSize) * width
            let w0 = w[0]
            for x in 0..<width {
                accumulator[x] = first[x] * w0
            }
            for k in 1..<max(count, 1) {
                let line = ring + ((start + k) % ringSize) * width
                let wk = w[k]
                for x in 0..<width {
                    accumulator[x] += line[x] * wk
                }
            }
        }
    }

    private func unpremultiply() {
        for x in 0..<outputWidth {
            let v = accumulator[x]
            let p = output + x * 4
            // Negative lobes can push alpha outside 0…255 and colour above alpha; clamp both.
            // Scalar min/max and truncating conversions: the generic SIMD mask operations
            // were 40% of a resize in profiles.
            let alpha = min(max(v.w, 0), 255)
            if alpha < 0.5 {
                p[0] = 0; p[1] = 0; p[2] = 0; p[3] = 0
                continue
            }
            // Opaque pixels (most of a design) need no division.
            let scale: Float = alpha >= 254.5 ? 1 : 255 / alpha
            p[0] = Self.byte(v.x * scale)
            p[1] = Self.byte(v.y * scale)
            p[2] = Self.byte(v.z * scale)
            p[3] = Self.byte(alpha)
        }
    }

    /// Clamps to 0…255 and rounds (half to even). Adding 1.5 × 2²³ leaves the rounded
    /// integer in the low mantissa bits, which avoids a checked float-to-int conversion
    /// (a range test and branches per channel) in the hottest loop.
    @inline(__always)
    private static func byte(_ value: Float) -> UInt8 {
        UInt8(truncatingIfNeeded: (min(max(value, 0), 255) + 12_582_912).bitPattern)
    }
}

/// One owner at a time: the resizer mutates its row buffers on every push.
@available(*, unavailable)
extension StreamingResizer: Sendable {}
