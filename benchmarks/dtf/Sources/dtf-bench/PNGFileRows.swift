import Imaging
import PNG

/// A PNG file read as rows, decoded again for every pass of the streaming DTF printer:
/// neither the file nor the image is held (libvips' `thumbnail` reads its input the same way).
struct PNGFileRows: RGBARowSource {
    let path: String
    let width: Int
    let height: Int
    static let limits = DecodingLimits(maxPixels: 30_000_000)

    init(path: String) throws {
        self.path = path
        let header = try PNGRowReader(contentsOfFile: path, as: .rgba8, limits: Self.limits).header
        width = header.width
        height = header.height
    }

    func forEachRow(_ body: (_ y: Int, _ row: UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let reader = try PNGRowReader(contentsOfFile: path, as: .rgba8, limits: Self.limits)
        var row = [UInt8](repeating: 0, count: width * 4)
        try row.withUnsafeMutableBufferPointer { row in
            for y in 0..<height {
                try reader.readRow(into: row)
                try body(y, UnsafeBufferPointer(row))
            }
        }
    }
}
