/// Precomputed filter taps for one axis: output pixel `i` is the weighted sum of source
/// pixels `start[i] ..< start[i] + count[i]` with weights `weights[i * stride ..< i * stride + count[i]]`.
///
/// Computed once per resize, so the pixel loops do no kernel evaluation. Windows are
/// clipped to the image and renormalised to sum to 1 (the image edge is neither darkened
/// nor brightened), and each window is contiguous and moves forward monotonically with
/// `i` — which is what lets ``StreamingResizer`` keep only a ring of recent rows.
///
/// Every row of `weights` is zero after its `count` taps up to `taps`, so a loop may run
/// the same number of taps, `taps`, for every output pixel (no per-pixel trip count to
/// mispredict) as long as it can read `taps` source pixels from every `start`
/// (``StreamingResizer`` pads its source row with zeros for that).
struct ResamplingWeights: Sendable {
    let starts: [Int]
    let counts: [Int]
    let weights: [Float]
    /// The distance between rows of `weights`: at least `taps`.
    let stride: Int
    /// The largest `count`.
    let taps: Int

    init(source: Int, destination: Int, filter: ResamplingFilter) {
        precondition(source > 0 && destination > 0)
        if source == destination {
            // Identity: a single tap of weight 1, so a same-size axis is an exact copy
            // (sinc's zeros are not exactly zero in floating point).
            starts = Array(0..<source)
            counts = Array(repeating: 1, count: source)
            weights = Array(repeating: 1, count: source)
            stride = 1
            taps = 1
            return
        }
        let scale = Double(source) / Double(destination)
        // When shrinking, stretch the kernel over `scale` source pixels so it also
        // low-pass filters (otherwise downscaling aliases); when enlarging, use it as is.
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let stride = Int((support * 2).rounded(.up)) + 2
        var starts = [Int](repeating: 0, count: destination)
        var counts = [Int](repeating: 0, count: destination)
        var weights = [Float](repeating: 0, count: destination * stride)
        var taps = [Double](repeating: 0, count: stride)
        for i in 0..<destination {
            // Pixel centres: output i sits at source coordinate (i + 0.5) * scale.
            let center = (Double(i) + 0.5) * scale
            let low = max(Int((center - support + 0.5).rounded(.down)), 0)
            let high = min(Int((center + support + 0.5).rounded(.down)), source)
            var count = max(high - low, 1)
            count = min(count, stride)
            var total = 0.0
            for k in 0..<count {
                let w = filter.weight((Double(low + k) + 0.5 - center) / filterScale)
                taps[k] = w
                total += w
            }
            // Trim zero taps at both ends so loops and the row ring stay short.
            var first = 0
            while first < count - 1 && taps[first] == 0 { first += 1 }
            var last = count - 1
            while last > first && taps[last] == 0 { last -= 1 }
            starts[i] = low + first
            counts[i] = last - first + 1
            let norm = total != 0 ? 1 / total : 0
            for k in first...last {
                weights[i * stride + k - first] = Float(taps[k] * norm)
            }
            if total == 0 {
                // Degenerate (cannot happen for these kernels): nearest neighbour.
                starts[i] = min(max(Int(center), 0), source - 1)
                counts[i] = 1
                for k in 0..<stride { weights[i * stride + k] = 0 }
                weights[i * stride] = 1
            }
        }
        self.starts = starts
        self.counts = counts
        self.weights = weights
        self.stride = stride
        self.taps = counts.max()!
    }

    /// How many consecutive source lines must be kept so that every output line can be
    /// made as soon as its last source line arrives: the row-ring size for streaming.
    var ringSize: Int {
        var furthestEnd = 0
        var size = 1
        for i in starts.indices {
            furthestEnd = max(furthestEnd, starts[i] + counts[i])
            size = max(size, furthestEnd - starts[i])
        }
        return size
    }
}
