/// ``BackgroundRemover``'s work on an image read as rows (``RGBARowSource``): the same
/// estimate, fill and soft edge, pixel for pixel, while holding one byte per pixel
/// (the fill) and three rows instead of the image and a copy of it.
///
/// Passes over the source: one for the border ring (the estimate); when a background
/// colour is found, one that marks background-coloured pixels, then a span fill over
/// those marks from the border (its stack holds runs, not pixels); then
/// ``forEachRow(of:_:)`` hands out the result a row at a time, as often as asked.
///
/// Not thread-safe (one owner at a time).
final class BackgroundMask {
    let width: Int
    let height: Int
    let outcome: BackgroundRemoval.Outcome
    private let background: RGBA
    /// Per pixel: 0 subject, 1 background-coloured, 2 filled (background-coloured and
    /// connected to the border). Empty when nothing is removed.
    private var cells: [UInt8]

    private static let candidate: UInt8 = 1
    private static let filled: UInt8 = 2

    init(_ source: some RGBARowSource, remover: BackgroundRemover) throws {
        width = source.width
        height = source.height
        cells = []
        switch try Self.estimate(source, remover: remover) {
        case .alreadyTransparent:
            outcome = .alreadyTransparent
            background = RGBA(0, 0, 0, 0)
        case .none:
            outcome = .noUniformBackground
            background = RGBA(0, 0, 0, 0)
        case .colour(let colour):
            background = colour
            cells = try Self.mark(source, remover: remover, background: colour)
            let cleared = Self.fill(&cells, width: width, height: height)
            outcome = .removed(background: colour, clearedPixels: cleared)
        }
    }

    private static func estimate(_ source: some RGBARowSource, remover: BackgroundRemover) throws -> BackgroundRemover.Estimate {
        let width = source.width, height = source.height
        var ring: [UInt8] = []
        ring.reserveCapacity(4 * 2 * (width + height))
        try source.forEachRow { y, row in
            if y == 0 || y == height - 1 {
                ring.append(contentsOf: row)
            } else {
                ring.append(contentsOf: row[0..<4])
                if width > 1 { ring.append(contentsOf: row[((width - 1) * 4)..<(width * 4)]) }
            }
        }
        return ring.withUnsafeBufferPointer { remover.estimateBackground(border: $0) }
    }

    private static func mark(_ source: some RGBARowSource, remover: BackgroundRemover, background: RGBA) throws -> [UInt8] {
        let limit = remover.squaredLimit, width = source.width
        var cells = [UInt8](repeating: 0, count: width * source.height)
        try cells.withUnsafeMutableBufferPointer { cells in
            try source.forEachRow { y, row in
                let base = y * width
                for x in 0..<width where remover.isBackground(row, x * 4, background, limit: limit) {
                    cells[base + x] = Self.candidate
                }
            }
        }
        return cells
    }

    /// Fills every background-coloured pixel 4-connected to a background-coloured border
    /// pixel. Returns how many were filled.
    private static func fill(_ cells: inout [UInt8], width: Int, height: Int) -> Int {
        var cleared = 0
        cells.withUnsafeMutableBufferPointer { cells in
            var stack: [Int] = []
            for x in 0..<width {
                stack.append(x)
                stack.append((height - 1) * width + x)
            }
            for y in 0..<height {
                stack.append(y * width)
                stack.append(y * width + width - 1)
            }
            while let index = stack.popLast() {
                guard cells[index] == Self.candidate else { continue }
                let rowStart = index - index % width
                var left = index, right = index
                while left > rowStart && cells[left - 1] == Self.candidate { left -= 1 }
                while right < rowStart + width - 1 && cells[right + 1] == Self.candidate { right += 1 }
                for i in left...right { cells[i] = Self.filled }
                cleared += right - left + 1
                // One seed per run of unfilled background beside the span, above and below.
                for offset in stride(from: -width, through: width, by: 2 * width) where rowStart + offset >= 0 && rowStart + offset < width * height {
                    var inRun = false
                    for i in (left + offset)...(right + offset) {
                        if cells[i] == Self.candidate {
                            if !inRun { stack.append(i) }
                            inRun = true
                        } else {
                            inRun = false
                        }
                    }
                }
            }
        }
        return cleared
    }

    /// Calls `body` with every row of the source after removal (filled pixels cleared to
    /// transparent black, the subject's edge softened), top to bottom. The row buffer is
    /// the caller's to change during the call.
    func forEachRow(of source: some RGBARowSource, _ body: (_ y: Int, _ row: UnsafeMutableBufferPointer<UInt8>) throws -> Void) throws {
        let rowBytes = width * 4
        guard !cells.isEmpty else {
            let out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: rowBytes)
            defer { out.deallocate() }
            try source.forEachRow { y, row in
                _ = out.initialize(fromContentsOf: row)
                try body(y, out)
            }
            return
        }
        // Source rows y - 1, y, y + 1 (a ring of three), and the row handed out.
        let window = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 3 * rowBytes)
        let out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: rowBytes)
        defer { window.deallocate(); out.deallocate() }
        func slot(_ y: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: window[((y % 3) * rowBytes)..<((y % 3 + 1) * rowBytes)])
        }
        func emit(_ y: Int) throws {
            _ = out.initialize(fromContentsOf: slot(y))
            soften(row: y, rows: slot, into: out)
            try body(y, out)
        }
        try source.forEachRow { y, row in
            _ = UnsafeMutableBufferPointer(rebasing: window[((y % 3) * rowBytes)..<((y % 3 + 1) * rowBytes)]).initialize(fromContentsOf: row)
            if y > 0 { try emit(y - 1) }
        }
        try emit(height - 1)
    }

    /// Row `y` of the result, from the source rows `y - 1 ... y + 1` (`rows`): as
    /// ``BackgroundRemover``'s soft edge and clearing, which read only those rows.
    private func soften(row y: Int, rows: (Int) -> UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) {
        let width = width, height = height, background = background
        let bg = (r: Double(background.r), g: Double(background.g), b: Double(background.b))
        let current = rows(y)
        func distance(_ row: UnsafeBufferPointer<UInt8>, _ x: Int) -> Double {
            let p = x * 4
            return ColorDistance.levels(Int(row[p]), Int(row[p + 1]), Int(row[p + 2]),
                                        Int(background.r), Int(background.g), Int(background.b))
        }
        cells.withUnsafeBufferPointer { cells in
            let filled = Self.filled
            for x in 0..<width {
                let index = y * width + x
                if cells[index] == filled {
                    let p = x * 4
                    out[p] = 0; out[p + 1] = 0; out[p + 2] = 0; out[p + 3] = 0
                    continue
                }
                let touches = (x > 0 && cells[index - 1] == filled) || (x < width - 1 && cells[index + 1] == filled)
                    || (y > 0 && cells[index - width] == filled) || (y < height - 1 && cells[index + width] == filled)
                guard touches else { continue }
                let own = distance(current, x)
                var subject = own
                for ny in max(y - 1, 0)...min(y + 1, height - 1) {
                    let row = rows(ny)
                    for nx in max(x - 1, 0)...min(x + 1, width - 1) where cells[ny * width + nx] != filled {
                        subject = max(subject, distance(row, nx))
                    }
                }
                let p = x * 4
                guard let pixel = BackgroundRemover.softened(current[p], current[p + 1], current[p + 2], current[p + 3],
                                                             own: own, subject: subject, background: bg) else { continue }
                out[p] = pixel.r; out[p + 1] = pixel.g; out[p + 2] = pixel.b; out[p + 3] = pixel.a
            }
        }
    }
}

/// One owner at a time.
@available(*, unavailable)
extension BackgroundMask: Sendable {}
