extension RGBAImage {
    /// The pixels inside `rect`, which must lie within the image and be non-empty.
    public func cropped(to rect: PixelRect) -> RGBAImage {
        precondition(rect.width > 0 && rect.height > 0 && rect.x >= 0 && rect.y >= 0
            && rect.x + rect.width <= width && rect.y + rect.height <= height, "crop rectangle outside the image")
        if rect.x == 0 && rect.y == 0 && rect.width == width && rect.height == height { return self }
        var out = [UInt8](repeating: 0, count: rect.width * rect.height * 4)
        let rowBytes = rect.width * 4
        out.withUnsafeMutableBytes { destination in
            pixels.withUnsafeBytes { source in
                for row in 0..<rect.height {
                    let from = ((rect.y + row) * width + rect.x) * 4
                    UnsafeMutableRawBufferPointer(rebasing: destination[(row * rowBytes)..<((row + 1) * rowBytes)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[from..<(from + rowBytes)]))
                }
            }
        }
        return RGBAImage(width: rect.width, height: rect.height, pixels: out)
    }
}
