// DTF preparation benchmark: one case per process, so that `/usr/bin/time -v` reports
// each case's own peak RSS. Driven by `benchmarks/dtf/run`, which also runs libvips on
// the same inputs.
//
//   dtf-bench input <width> <height> <out.png>     write a deterministic test design
//   dtf-bench dtf <in.png> <out.png> [W_MM H_MM]        rows → StreamingDTFPrinter → PNG rows (300 DPI), as the
//                                                       design worker makes the `dtf` variant; default print
//                                                       area 12×16 in, else a placement's millimetres
//   dtf-bench dtf-whole <in.png> <out.png> [W_MM H_MM]  decode → DTFPrinter.prepare → encode (the whole-image
//                                                       step the worker used before, kept as the reference)
//   dtf-bench resize <in.png> <out.png> [W H]           rows → Lanczos-3 fit to W×H (3600×4800) → PNG rows (vips' job)
//   dtf-bench resize-whole <in.png> <out.png> [W H]     the same on whole images
//   dtf-bench encodings <in.png>                   encode the DTF result with several zlib settings
import Foundation
import Imaging
import PNG

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: dtf-bench input|dtf|dtf-whole|resize|resize-whole|encodings …\n".utf8))
    exit(64)
}

/// The fleet's encoder settings for stored variants (DesignWorkerConfiguration.fastEncoding).
let fastEncoding = EncodingOptions(compressionLevel: 2, filters: [.up], strategy: .filtered)

func read(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
    return [UInt8](data)
}

func write(_ bytes: [UInt8], _ path: String) {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fatalError("cannot write \(path)") }
}

func decodeRGBA(_ path: String) throws -> RGBAImage {
    let image = try PNGDecoder.decode(read(path), as: .rgba8, limits: DecodingLimits(maxPixels: 30_000_000))
    return RGBAImage(width: image.width, height: image.height, pixels: image.pixels)
}

func seconds(_ duration: Duration) -> String {
    String(format: "%.3f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
}

/// The DTF options for a print area of `arguments[4]` × `arguments[5]` millimetres, as
/// the design worker sets them from a placement; the 12×16 in default without them.
func dtfOptions() -> DTFOptions {
    var options = DTFOptions()
    if arguments.count >= 6, let width = Double(arguments[4]), let height = Double(arguments[5]) {
        options.printWidthInches = width / 25.4
        options.printHeightInches = height / 25.4
    }
    return options
}

/// The resize box: `arguments[4]` × `arguments[5]` pixels, 3600×4800 without them.
func resizeBox() -> (width: Int, height: Int) {
    guard arguments.count >= 6, let width = Int(arguments[4]), let height = Int(arguments[5]) else { return (3600, 4800) }
    return (width, height)
}

let clock = ContinuousClock()
switch arguments[1] {
case "input":
    // A badge design on a flat background (as image APIs return it), centred on a canvas
    // of the asked size, so background removal, trim and scaling all have real work.
    let width = Int(arguments[2])!, height = Int(arguments[3])!
    let art = ArtGenerator.generate(prompt: "a lighthouse at dusk", seed: 42, candidate: 0, size: min(width, height), background: .flat)
    var canvas = RGBAImage(width: width, height: height, fill: art[0, 0])
    let dx = (width - art.width) / 2, dy = (height - art.height) / 2
    for y in 0..<art.height {
        let source = y * art.width * 4
        let target = ((y + dy) * width + dx) * 4
        canvas.pixels.replaceSubrange(target..<(target + art.width * 4), with: art.pixels[source..<(source + art.width * 4)])
    }
    write(try PNGEncoder.encode(Image(width: width, height: height, format: .rgba8, pixels: canvas.pixels, dpi: 300), options: fastEncoding), arguments[4])

case "dtf":
    let started = clock.now
    let options = dtfOptions()
    let printer = try StreamingDTFPrinter(source: try PNGFileRows(path: arguments[2]), options: options)
    var writer: PNGRowWriter?
    let file = try printer.render { width, height in
        let made = try PNGRowWriter(width: width, height: height, format: .rgba8, dpi: options.dpi, options: fastEncoding)
        writer = made
        return { row in try made.write(row: UnsafeRawBufferPointer(row)) }
    }
    let png = try writer!.finish()
    write(png, arguments[3])
    print("dtf \(file.width)x\(file.height) \(png.count) bytes, \(file.renderPasses) render pass(es), in \(seconds(clock.now - started)) s")

case "dtf-whole":
    let started = clock.now
    let printFile = try DTFPrinter.prepare(try decodeRGBA(arguments[2]), options: dtfOptions())
    let png = try PNGEncoder.encode(Image(width: printFile.image.width, height: printFile.image.height, format: .rgba8, pixels: printFile.image.pixels, dpi: printFile.dpi), options: fastEncoding)
    write(png, arguments[3])
    print("dtf-whole \(printFile.image.width)x\(printFile.image.height) \(png.count) bytes in \(seconds(clock.now - started)) s")

case "resize":
    let started = clock.now
    let box = resizeBox()
    let reader = try PNGRowReader(contentsOfFile: arguments[2], as: .rgba8, limits: PNGFileRows.limits)
    let size = Resampler.fitSize(width: reader.header.width, height: reader.header.height, maxWidth: box.width, maxHeight: box.height)
    let resizer = StreamingResizer(inputWidth: reader.header.width, inputHeight: reader.header.height, outputWidth: size.width, outputHeight: size.height)
    let writer = try PNGRowWriter(width: size.width, height: size.height, format: .rgba8, dpi: 300, options: fastEncoding)
    var row = [UInt8](repeating: 0, count: reader.bytesPerRow)
    try row.withUnsafeMutableBufferPointer { row in
        for _ in 0..<reader.header.height {
            try reader.readRow(into: row)
            try resizer.push(row: UnsafeBufferPointer(row)) { _, out in try writer.write(row: UnsafeRawBufferPointer(out)) }
        }
    }
    let png = try writer.finish()
    write(png, arguments[3])
    print("resize \(size.width)x\(size.height) \(png.count) bytes in \(seconds(clock.now - started)) s")

case "resize-whole":
    let started = clock.now
    let box = resizeBox()
    let design = try decodeRGBA(arguments[2])
    let size = Resampler.fitSize(width: design.width, height: design.height, maxWidth: box.width, maxHeight: box.height)
    let scaled = Resampler.resize(design, width: size.width, height: size.height, filter: .lanczos3)
    let png = try PNGEncoder.encode(Image(width: scaled.width, height: scaled.height, format: .rgba8, pixels: scaled.pixels, dpi: 300), options: fastEncoding)
    write(png, arguments[3])
    print("resize-whole \(scaled.width)x\(scaled.height) \(png.count) bytes in \(seconds(clock.now - started)) s")

case "encodings":
    let printFile = try DTFPrinter.prepare(try decodeRGBA(arguments[2]))
    let image = Image(width: printFile.image.width, height: printFile.image.height, format: .rgba8, pixels: printFile.image.pixels, dpi: printFile.dpi)
    let candidates: [(String, EncodingOptions)] = [
        ("libpng default (6, all, filtered)", EncodingOptions()),
        ("2, up, filtered (fleet)", fastEncoding),
        ("2, up, rle", EncodingOptions(compressionLevel: 2, filters: [.up], strategy: .rle)),
        ("2, sub, rle", EncodingOptions(compressionLevel: 2, filters: [.sub], strategy: .rle)),
        ("1, up, filtered", EncodingOptions(compressionLevel: 1, filters: [.up], strategy: .filtered)),
        ("1, sub, rle", EncodingOptions(compressionLevel: 1, filters: [.sub], strategy: .rle)),
    ]
    for (name, options) in candidates {
        let started = clock.now
        let png = try PNGEncoder.encode(image, options: options)
        print("encode \(name): \(png.count) bytes in \(seconds(clock.now - started)) s")
    }

default:
    FileHandle.standardError.write(Data("unknown mode \(arguments[1])\n".utf8))
    exit(64)
}
