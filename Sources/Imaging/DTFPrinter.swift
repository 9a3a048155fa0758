/// Turns a design into a DTF print file (DESIGN.md §6, variant `dtf`).
///
/// Steps, in this order and for these reasons:
/// 1. remove a uniform background (if on): film prints everything that is not transparent;
/// 2. alpha cleanup at source resolution, so faint specks do not widen the trim box;
/// 3. trim to the visible content, so "fit to print size" means the *art* fills it;
/// 4. resample (premultiplied Lanczos-3) to the largest size with the same aspect that
///    fits the print area — one side equals the canvas limit;
/// 5. alpha cleanup again: filtering spreads every edge over a few pixels and Lanczos
///    ringing adds faint ripples, creating exactly the low-alpha pixels step 2 removed;
/// 6. keep the edges: if step 5 emptied an outermost row or column, its strongest pixel
///    is raised to the threshold, so the file keeps the exact fitted size (the printed
///    dimensions the customer ordered) and stays trimmed. One pixel at ≈12% is invisible
///    on film; losing a row would make the print 1/300 inch short and off-centre.
///
/// ``StreamingDTFPrinter`` makes the same file, pixel for pixel, from rows and into rows
/// (what the design worker uses); this whole-image form is its reference in tests.
public enum DTFPrinter {
    /// - Throws: ``ImagingError`` `.nothingVisible` when no pixel survives cleanup.
    public static func prepare(_ design: RGBAImage, options: DTFOptions = DTFOptions()) throws(ImagingError) -> PrintFile {
        var image = design
        var outcome: BackgroundRemoval.Outcome?
        if options.removeBackground {
            let removal = options.backgroundRemover.remove(image)
            image = removal.image
            outcome = removal.outcome
        }
        options.alphaCleanup.apply(to: &image)
        guard let trimmed = Trim.trimmed(image) else {
            throw ImagingError(.nothingVisible, "the design has no pixel with alpha ≥ \(options.alphaCleanup.threshold)")
        }
        let size = Resampler.fitSize(width: trimmed.width, height: trimmed.height,
                                     maxWidth: options.canvasWidth, maxHeight: options.canvasHeight)
        var scaled = Resampler.resize(trimmed, width: size.width, height: size.height, filter: options.filter)
        let edges = outermostLines(of: scaled)
        options.alphaCleanup.apply(to: &scaled)
        keepEdges(&scaled, edges: edges, threshold: options.alphaCleanup.threshold)
        // Only a degenerate design (all content lost in step 5) can still have empty edges.
        guard let final = Trim.trimmed(scaled) else {
            throw ImagingError(.nothingVisible, "no pixel kept alpha ≥ \(options.alphaCleanup.threshold) after scaling to \(size.width)×\(size.height)")
        }
        let effective = Int((Double(trimmed.width) / Double(size.width) * Double(options.dpi)).rounded())
        return PrintFile(image: final, dpi: options.dpi, backgroundRemoval: outcome, effectiveDPI: max(1, effective))
    }

    /// The pixels of the outermost rows and columns (before cleanup), one array per line.
    /// Only these are kept for step 6, not a copy of the whole 3600×4800 image.
    private static func outermostLines(of image: RGBAImage) -> [[(x: Int, y: Int, pixel: RGBA)]] {
        let w = image.width, h = image.height
        let coordinates: [[(Int, Int)]] = [
            (0..<w).map { ($0, 0) }, (0..<w).map { ($0, h - 1) },
            (0..<h).map { (0, $0) }, (0..<h).map { (w - 1, $0) },
        ]
        return coordinates.map { line in line.map { (x: $0.0, y: $0.1, pixel: image[$0.0, $0.1]) } }
    }

    /// Step 6: for each outermost line left empty by cleanup, restore its strongest
    /// pre-cleanup pixel with alpha raised to `threshold`.
    private static func keepEdges(_ image: inout RGBAImage, edges: [[(x: Int, y: Int, pixel: RGBA)]], threshold: UInt8) {
        for line in edges {
            if line.contains(where: { image[$0.x, $0.y].a > 0 }) { continue }
            guard var strongest = line.max(by: { $0.pixel.a < $1.pixel.a }), strongest.pixel.a > 0 else { continue }
            strongest.pixel.a = max(strongest.pixel.a, threshold)
            image[strongest.x, strongest.y] = strongest.pixel
        }
    }
}
