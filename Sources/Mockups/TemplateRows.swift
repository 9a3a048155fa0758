import Imaging
import PNG

/// A template image read from its file one RGB8 row at a time (transparency onto white,
/// as ``MockupRenderer/loadTemplate(_:id:)`` decodes it), with its errors worded as the
/// template's.
///
/// Not thread-safe: one render owns it.
final class TemplateRows {
    let width: Int
    let height: Int
    private let reader: PNGRowReader
    private let path: String
    private let id: String

    /// Opens the file and checks its header against `limits`; no pixel is decoded yet.
    /// - Throws: ``MockupError`` `.templateUnavailable` when the file cannot be read,
    ///   `.templateRejected` when it is not a usable PNG.
    init(path: String, id: String, limits: DecodingLimits) throws(MockupError) {
        self.path = path
        self.id = id
        do {
            reader = try PNGRowReader(contentsOfFile: path, as: .rgb8, limits: limits)
        } catch {
            throw Self.templateError(error, id: id, path: path)
        }
        (width, height) = (reader.header.width, reader.header.height)
    }

    /// Reads rows down to the end of `region` (no further) and collects its luminance.
    /// - Precondition: no row has been read yet.
    func luminance(of region: PixelRect) throws(MockupError) -> ShadingLuminance {
        precondition(reader.rowsRead == 0, "the shading source is read once, from the top")
        var luminance = ShadingLuminance(region: region)
        try withRowBuffer { row throws(MockupError) in
            while !luminance.isComplete {
                let y = reader.rowsRead
                try read(into: row)
                luminance.add(row: UnsafeBufferPointer(row), y: y, channels: 3)
            }
        }
        return luminance
    }

    /// Streams every row through `pass` into a PNG encoded with `encoding`. The pass (the
    /// design and its shading map) is released after its last row, before the rows below
    /// the print area are encoded: the encoded output is then the only growing buffer.
    /// - Precondition: no row has been read yet.
    func stream(through pass: consuming any CompositePass, encoding: EncodingOptions) throws(MockupError) -> [UInt8] {
        precondition(reader.rowsRead == 0, "the template streams once, from the top")
        let writer: PNGRowWriter
        do {
            writer = try PNGRowWriter(width: width, height: height, format: .rgb8, options: encoding)
        } catch {
            throw MockupRenderer.encodingError(error)
        }
        let lastRow = pass.rows.upperBound
        var remaining: (any CompositePass)? = consume pass
        try withRowBuffer { row throws(MockupError) in
            for y in 0..<height {
                try read(into: row)
                if y >= lastRow {
                    remaining = nil
                }
                remaining?.draw(into: row, y: y, channels: 3)
                do {
                    try writer.write(row: UnsafeRawBufferPointer(row))
                } catch {
                    throw MockupRenderer.encodingError(error)
                }
            }
        }
        do {
            return try writer.finish()
        } catch {
            throw MockupRenderer.encodingError(error)
        }
    }

    private func read(into row: UnsafeMutableBufferPointer<UInt8>) throws(MockupError) {
        do {
            try reader.readRow(into: row)
        } catch {
            throw Self.templateError(error, id: id, path: path)
        }
    }

    private func withRowBuffer<R>(_ body: (UnsafeMutableBufferPointer<UInt8>) throws(MockupError) -> R) throws(MockupError) -> R {
        let row = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: reader.bytesPerRow)
        defer { row.deallocate() }
        row.initialize(repeating: 0)
        return try body(row)
    }

    private static func templateError(_ error: any Error, id: String, path: String) -> MockupError {
        if let error = error as? PNGError, error.code == .unreadable {
            return MockupError(.templateUnavailable, "template '\(id)': image is missing or unreadable",
                               detail: "\(path): \(error.detail)")
        }
        return MockupError(.templateRejected, "template '\(id)': \(error)", detail: path)
    }
}

/// One render owns it: the PNG reader behind it is not thread-safe.
@available(*, unavailable)
extension TemplateRows: Sendable {}
