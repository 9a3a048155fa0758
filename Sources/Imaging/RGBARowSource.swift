/// Straight-alpha RGBA8 rows of an image that can be read again from the top, as many
/// times as asked: what ``StreamingDTFPrinter`` reads, once per pass, so a large design
/// never has to exist whole (a PNG is decoded again for each pass; an image in memory
/// hands out its rows).
public protocol RGBARowSource {
    var width: Int { get }
    var height: Int { get }
    /// Calls `body` with every row, top to bottom: `width * 4` bytes, valid only during the call.
    func forEachRow(_ body: (_ y: Int, _ row: UnsafeBufferPointer<UInt8>) throws -> Void) throws
}

extension RGBAImage: RGBARowSource {
    public func forEachRow(_ body: (_ y: Int, _ row: UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let rowBytes = width * 4
        try pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                try body(y, UnsafeBufferPointer(rebasing: pixels[(y * rowBytes)..<((y + 1) * rowBytes)]))
            }
        }
    }
}
