import Foundation
import Imaging
import Mockups

// mockup-bench generate DIR          writes DIR/template.png, DIR/design-4500x5400.png, DIR/design-1024.png
// mockup-bench render DESIGN TEMPLATE OUT
//     renders like the flat-lay worker does (MockupRenderer.render with the default
//     options): the design fitted into the 700×840 print area at (650, 520), shaded by the
//     template, PNG out. Prints `wall_ms=… bytes=…`; peak RSS is measured by ./run.

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "generate" where arguments.count == 3:
    try BenchInputs.generate(into: arguments[2])
case "render" where arguments.count == 5:
    let clock = ContinuousClock()
    let start = clock.now
    // Reading the design is part of the job. The worker holds it as [UInt8] only (storage
    // converts and drops its Data), so do the same: holding both would double its bytes.
    guard let design = FileManager.default.contents(atPath: arguments[2]).map({ [UInt8]($0) }) else {
        FileHandle.standardError.write(Data("cannot read \(arguments[2])\n".utf8))
        exit(1)
    }
    let entry = TemplateEntry(id: "bench", version: 1, image: arguments[3], shading: .base,
                              printArea: .rectangle(PixelRect(x: 650, y: 520, width: 700, height: 840)))
    let template = ResolvedTemplate(requestedProductType: "bench", requestedColor: "bench", productType: "bench",
                                    color: "bench", kind: .flatLay, entry: entry, imagePath: arguments[3],
                                    shadingPath: nil, fallbackReason: nil)
    let mockup = try MockupRenderer().render(design: design, template: template)
    try Data(mockup.png).write(to: URL(fileURLWithPath: arguments[4]))
    let elapsed = clock.now - start
    print("wall_ms=\(Int(elapsed / .milliseconds(1))) bytes=\(mockup.png.count) size=\(mockup.width)x\(mockup.height)")
default:
    FileHandle.standardError.write(Data("usage: mockup-bench generate DIR | render DESIGN TEMPLATE OUT\n".utf8))
    exit(64)
}
