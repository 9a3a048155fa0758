/// ``DTFPrinter``'s print file, pixel for pixel, made from a design read as rows and
/// written as rows, so neither the design nor the print file exists whole: memory is a
/// byte per design pixel for background removal (when on) plus a few rows.
///
/// The whole-image steps become passes over the source (``RGBARowSource`` reads it again
/// each time): background removal's own passes (``BackgroundMask``), one that finds the
/// trim box of the cleaned design, then ``render(_:)``: cleaned rows, cropped to the box,
/// through ``StreamingResizer``, cleaned again and handed to the writer. Step 6 (keep
/// the edges) needs the outermost columns whole, so the outermost lines are kept as
/// they pass and the step is replayed at the end; in the rare case it restores a pixel
/// (or the final trim would cut a line), the rows are made and written a second time,
/// with that known.
///
/// Not thread-safe (one owner at a time). Synchronous and CPU-bound.
public final class StreamingDTFPrinter<Source: RGBARowSource> {
    public let options: DTFOptions
    /// What background removal found (`nil` when it is switched off).
    public let backgroundRemoval: BackgroundRemoval.Outcome?
    /// The visible part of the cleaned design, in source pixels.
    public let trimBox: PixelRect
    /// The trimmed design fitted to the print area (the file's size unless step 6 fails).
    public let fittedWidth: Int
    public let fittedHeight: Int
    public let effectiveDPI: Int

    private let source: Source
    private let mask: BackgroundMask?

    /// Runs the passes that size the print file: background removal (if on), then the
    /// trim box.
    /// - Throws: ``ImagingError`` `.nothingVisible` when no pixel survives cleanup;
    ///   whatever `source` throws.
    public init(source: Source, options: DTFOptions = DTFOptions()) throws {
        self.source = source
        self.options = options
        let mask = options.removeBackground ? try BackgroundMask(source, remover: options.backgroundRemover) : nil
        self.mask = mask
        backgroundRemoval = mask?.outcome
        var bounds = ContentBounds()
        try Self.forEachCleanedRow(of: source, mask: mask, cleanup: options.alphaCleanup) { y, row in
            bounds.include(row: UnsafeBufferPointer(row), y: y, width: source.width)
        }
        guard let box = bounds.rect else {
            throw ImagingError(.nothingVisible, "the design has no pixel with alpha ≥ \(options.alphaCleanup.threshold)")
        }
        trimBox = box
        let size = Resampler.fitSize(width: box.width, height: box.height, maxWidth: options.canvasWidth, maxHeight: options.canvasHeight)
        fittedWidth = size.width
        fittedHeight = size.height
        effectiveDPI = max(1, Int((Double(box.width) / Double(size.width) * Double(options.dpi)).rounded()))
    }

    /// Makes the print file's rows and hands them, top to bottom, to the row writer that
    /// `start` returns for the file's width and height. `start` is called once, or a
    /// second time (the first writer's rows are then to be dropped) when step 6 changed
    /// rows already written; the result says which writer's file is the print file.
    /// - Throws: ``ImagingError`` `.nothingVisible` when nothing is left after scaling;
    ///   whatever the source or a writer throws.
    public func render(
        _ start: (_ width: Int, _ height: Int) throws -> (_ row: UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> StreamedPrintFile {
        let full = PixelRect(x: 0, y: 0, width: fittedWidth, height: fittedHeight)
        let first = try pass(crop: full, restorations: [:], write: try start(fittedWidth, fittedHeight))
        let restorations = first.edges.restorations(cleanup: options.alphaCleanup)
        var bounds = first.bounds
        for (y, row) in restorations {
            for x in row.keys { bounds.include(x: x, y: y) }
        }
        guard let final = bounds.rect else {
            throw ImagingError(.nothingVisible, "no pixel kept alpha ≥ \(options.alphaCleanup.threshold) after scaling to \(fittedWidth)×\(fittedHeight)")
        }
        var passes = 1
        if !restorations.isEmpty || final != full {
            _ = try pass(crop: final, restorations: restorations, write: try start(final.width, final.height))
            passes = 2
        }
        return StreamedPrintFile(width: final.width, height: final.height, dpi: options.dpi, backgroundRemoval: backgroundRemoval,
                                 effectiveDPI: effectiveDPI, renderPasses: passes)
    }

    /// One pass from the source to `write`: the rows of `crop` (in scaled pixels), after
    /// the second cleanup and `restorations` (row → column → pixel).
    private func pass(
        crop: PixelRect, restorations: [Int: [Int: RGBA]], write: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> (edges: DTFEdges, bounds: ContentBounds) {
        let width = fittedWidth, height = fittedHeight, box = trimBox
        var edges = DTFEdges(width: width, height: height)
        var bounds = ContentBounds()
        let table = options.alphaCleanup.lookupTable
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: width * 4)
        defer { scratch.deallocate() }
        func emit(_ y: Int, _ row: UnsafeBufferPointer<UInt8>) throws {
            edges.capture(row: row, y: y)
            _ = scratch.initialize(fromContentsOf: row)
            table.withUnsafeBufferPointer { _ = AlphaCleanup.apply($0, to: scratch) }
            bounds.include(row: UnsafeBufferPointer(scratch), y: y, width: width)
            for (x, pixel) in restorations[y] ?? [:] {
                scratch[x * 4] = pixel.r; scratch[x * 4 + 1] = pixel.g; scratch[x * 4 + 2] = pixel.b; scratch[x * 4 + 3] = pixel.a
            }
            guard y >= crop.y && y < crop.maxY else { return }
            try write(UnsafeBufferPointer(rebasing: scratch[(crop.x * 4)..<(crop.maxX * 4)]))
        }
        // A design already at the print size is not filtered (as `Resampler.resize`).
        let resizer = width == box.width && height == box.height ? nil
            : StreamingResizer(inputWidth: box.width, inputHeight: box.height, outputWidth: width, outputHeight: height, filter: options.filter)
        try Self.forEachCleanedRow(of: source, mask: mask, cleanup: options.alphaCleanup) { y, row in
            guard y >= box.y && y < box.maxY else { return }
            let cropped = UnsafeBufferPointer(rebasing: row[(box.x * 4)..<(box.maxX * 4)])
            if let resizer {
                try resizer.push(row: cropped, emit: emit)
            } else {
                try emit(y - box.y, cropped)
            }
        }
        return (edges, bounds)
    }

    /// Steps 1 and 2 a row at a time: the source's rows after background removal (when
    /// on) and the first alpha cleanup.
    private static func forEachCleanedRow(
        of source: Source, mask: BackgroundMask?, cleanup: AlphaCleanup,
        _ body: (_ y: Int, _ row: UnsafeMutableBufferPointer<UInt8>) throws -> Void
    ) throws {
        let table = cleanup.lookupTable
        try table.withUnsafeBufferPointer { map in
            if let mask {
                try mask.forEachRow(of: source) { y, row in
                    AlphaCleanup.apply(map, to: row)
                    try body(y, row)
                }
                return
            }
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: source.width * 4)
            defer { copy.deallocate() }
            try source.forEachRow { y, row in
                _ = copy.initialize(fromContentsOf: row)
                AlphaCleanup.apply(map, to: copy)
                try body(y, copy)
            }
        }
    }
}

/// One owner at a time.
@available(*, unavailable)
extension StreamingDTFPrinter: Sendable {}
