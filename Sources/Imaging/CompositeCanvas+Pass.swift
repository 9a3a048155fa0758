extension CompositeCanvas {
    /// The luminance of `region` (clipped to the canvas), as a shading source.
    public func shadingLuminance(in region: PixelRect) -> ShadingLuminance {
        var luminance = ShadingLuminance(region: region.intersection(bounds))
        let (bytesPerRow, channels) = (self.bytesPerRow, self.channels)
        pixels.withUnsafeBufferPointer { pixels in
            for y in luminance.region.y..<max(luminance.region.maxY, luminance.region.y) {
                luminance.add(row: UnsafeBufferPointer(rebasing: pixels[(y * bytesPerRow)..<((y + 1) * bytesPerRow)]),
                              y: y, channels: channels)
            }
        }
        return luminance
    }

    /// Runs `pass` over the rows it changes.
    public mutating func apply(_ pass: some CompositePass) {
        let rows = pass.rows.clamped(to: 0..<height)
        let (bytesPerRow, channels) = (self.bytesPerRow, self.channels)
        pixels.withUnsafeMutableBufferPointer { pixels in
            for y in rows {
                pass.draw(into: UnsafeMutableBufferPointer(rebasing: pixels[(y * bytesPerRow)..<((y + 1) * bytesPerRow)]),
                          y: y, channels: channels)
            }
        }
    }
}
