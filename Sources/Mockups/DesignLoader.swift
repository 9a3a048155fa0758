import Imaging
import PNG

/// Decodes a design PNG straight to the size it will be printed at.
///
/// A design larger than its placement is decoded row by row through libpng and shrunk
/// as the rows arrive, so a 4500×5400 RGBA design (97 MB decoded) never exists in memory
/// whole: peak is the compressed bytes, one source row and the small result.
enum DesignLoader {
    struct Loaded {
        /// At the placement size when the design was shrunk; as decoded when it is smaller.
        var image: RGBAImage
        var originalWidth: Int
        var originalHeight: Int
    }

    /// - Parameter box: the size the design is fitted into (aspect kept).
    static func load(_ bytes: [UInt8], fittingInto box: (width: Int, height: Int), limits: DecodingLimits) throws(MockupError) -> Loaded {
        do {
            let reader = try PNGRowReader(bytes, limits: limits)
            let (width, height) = (reader.header.width, reader.header.height)
            let placement = PixelRect(x: 0, y: 0, width: box.width, height: box.height).fitting(width: width, height: height)
            var row: [UInt8] = []
            if placement.width < width || placement.height < height {
                var scaler = CompositeDownscaler(sourceWidth: width, sourceHeight: height,
                                                 targetWidth: min(placement.width, width),
                                                 targetHeight: min(placement.height, height))
                while try reader.readRow(into: &row) {
                    scaler.append(row: row)
                }
                return Loaded(image: scaler.finish(), originalWidth: width, originalHeight: height)
            }
            // Not larger than its placement: small enough to hold whole; the compositor enlarges it.
            var pixels: [UInt8] = []
            pixels.reserveCapacity(width * height * 4)
            while try reader.readRow(into: &row) {
                pixels += row
            }
            return Loaded(image: RGBAImage(width: width, height: height, pixels: pixels), originalWidth: width, originalHeight: height)
        } catch let error as PNGError {
            throw designError(error)
        } catch {
            throw MockupError(.designRejected, "design rejected: \(error)")
        }
    }

    static func designError(_ error: PNGError) -> MockupError {
        let code: MockupError.Code = error.code == .tooLarge ? .designTooLarge : .designRejected
        return MockupError(code, "design \(error)", detail: error.debugDescription, isRetriable: error.isRetriable)
    }
}
