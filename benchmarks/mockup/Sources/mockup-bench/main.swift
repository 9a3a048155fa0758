#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Imaging
import Mockups

// mockup-bench generate DIR          writes DIR/template.png, DIR/design-4500x5400.png, DIR/design-1024.png
// mockup-bench render DESIGN TEMPLATE OUT
//     renders like the flat-lay worker does (MockupRenderer.render with the default
//     options): the design fitted into the 700×840 print area at (650, 520), shaded by the
//     template, PNG out. Prints `wall_ms=… bytes=…`; peak RSS is measured by ./run.
//
// Like the renderer's own modules this links FoundationEssentials, not all of Foundation
// (whose load alone is about 6 MB more resident memory; see BENCHMARKS.md).

/// The whole file as [UInt8], read straight into the array: the worker holds a design as
/// [UInt8] only, and a Data copy on the way would hold its bytes twice.
func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    fseek(file, 0, SEEK_END)
    bytes.reserveCapacity(max(ftell(file), 0))
    fseek(file, 0, SEEK_SET)
    while true {
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        guard count > 0 else { break }
        bytes.append(contentsOf: chunk[..<count])
    }
    return ferror(file) == 0 ? bytes : nil
}

func writeFile(_ bytes: [UInt8], to path: String) -> Bool {
    guard let file = fopen(path, "wb") else { return false }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    return fclose(file) == 0 && written == bytes.count
}

func fail(_ message: String, code: Int32 = 1) -> Never {
    let line = message + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(code)
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "generate" where arguments.count == 3:
    try BenchInputs.generate(into: arguments[2])
case "render" where arguments.count == 5:
    let clock = ContinuousClock()
    let start = clock.now
    // Reading the design is part of the job.
    guard let design = readFile(arguments[2]) else { fail("cannot read \(arguments[2])") }
    let entry = TemplateEntry(id: "bench", version: 1, image: arguments[3], shading: .base,
                              printArea: .rectangle(PixelRect(x: 650, y: 520, width: 700, height: 840)))
    let template = ResolvedTemplate(requestedProductType: "bench", requestedColor: "bench", productType: "bench",
                                    color: "bench", kind: .flatLay, entry: entry, imagePath: arguments[3],
                                    shadingPath: nil, fallbackReason: nil)
    let mockup = try MockupRenderer().render(design: design, template: template)
    guard writeFile(mockup.png, to: arguments[4]) else { fail("cannot write \(arguments[4])") }
    let elapsed = clock.now - start
    print("wall_ms=\(Int(elapsed / .milliseconds(1))) bytes=\(mockup.png.count) size=\(mockup.width)x\(mockup.height)")
default:
    fail("usage: mockup-bench generate DIR | render DESIGN TEMPLATE OUT", code: 64)
}
