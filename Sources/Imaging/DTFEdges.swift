/// Step 6 of ``DTFPrinter`` ("keep the edges") for a printer that sees each scaled row
/// once: the outermost rows and columns are kept as they pass (before cleanup), then
/// the step is replayed on them alone. It reads and writes nothing else, so the
/// replay restores exactly the pixels the whole-image step restores.
struct DTFEdges {
    let width: Int
    let height: Int
    private var top: [RGBA]
    private var bottom: [RGBA]
    private var left: [RGBA]
    private var right: [RGBA]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        let clear = RGBA(0, 0, 0, 0)
        top = Array(repeating: clear, count: width)
        bottom = top
        left = Array(repeating: clear, count: height)
        right = left
    }

    /// Keeps what row `y` (scaled, not yet cleaned) adds to the outermost lines.
    mutating func capture(row: UnsafeBufferPointer<UInt8>, y: Int) {
        func pixel(_ x: Int) -> RGBA { RGBA(row[x * 4], row[x * 4 + 1], row[x * 4 + 2], row[x * 4 + 3]) }
        if y == 0 { top = (0..<width).map(pixel) }
        if y == height - 1 { bottom = (0..<width).map(pixel) }
        left[y] = pixel(0)
        right[y] = pixel(width - 1)
    }

    /// The pixels step 6 restores, by row, then column: for each outermost line (top,
    /// bottom, left, right, in that order) that `cleanup` leaves empty, its strongest
    /// pixel with alpha raised to the threshold.
    func restorations(cleanup: AlphaCleanup) -> [Int: [Int: RGBA]] {
        let table = cleanup.lookupTable
        let lines: [[(x: Int, y: Int, pixel: RGBA)]] = [
            (0..<width).map { (x: $0, y: 0, pixel: top[$0]) },
            (0..<width).map { (x: $0, y: height - 1, pixel: bottom[$0]) },
            (0..<height).map { (x: 0, y: $0, pixel: left[$0]) },
            (0..<height).map { (x: width - 1, y: $0, pixel: right[$0]) },
        ]
        var restored: [Int: [Int: RGBA]] = [:]
        func alpha(_ point: (x: Int, y: Int, pixel: RGBA)) -> UInt8 {
            restored[point.y]?[point.x]?.a ?? table[Int(point.pixel.a)]
        }
        for line in lines {
            if line.contains(where: { alpha($0) > 0 }) { continue }
            guard var strongest = line.max(by: { $0.pixel.a < $1.pixel.a }), strongest.pixel.a > 0 else { continue }
            strongest.pixel.a = max(strongest.pixel.a, cleanup.threshold)
            restored[strongest.y, default: [:]][strongest.x] = strongest.pixel
        }
        return restored
    }
}
