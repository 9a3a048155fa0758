/// Whole-image resizing and aspect-fit sizing, on top of ``StreamingResizer``.
public enum Resampler {
    /// `image` resized to exactly `width × height` (aspect ratio is the caller's choice;
    /// see ``fitSize(width:height:maxWidth:maxHeight:)``), filtered in premultiplied alpha.
    /// Returns the image unchanged when the size already matches.
    public static func resize(_ image: RGBAImage, width: Int, height: Int, filter: ResamplingFilter = .lanczos3) -> RGBAImage {
        precondition(width > 0 && height > 0, "sizes must be positive")
        if width == image.width && height == image.height { return image }
        let resizer = StreamingResizer(inputWidth: image.width, inputHeight: image.height, outputWidth: width, outputHeight: height, filter: filter)
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        let rowBytes = image.width * 4
        pixels.withUnsafeMutableBytes { destination in
            image.pixels.withUnsafeBufferPointer { source in
                for y in 0..<image.height {
                    let row = UnsafeBufferPointer(rebasing: source[(y * rowBytes)..<((y + 1) * rowBytes)])
                    resizer.push(row: row) { outY, outRow in
                        UnsafeMutableRawBufferPointer(rebasing: destination[(outY * width * 4)...]).copyMemory(from: UnsafeRawBufferPointer(outRow))
                    }
                }
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }

    /// The largest size with the aspect ratio of `width × height` that fits within
    /// `maxWidth × maxHeight` (scaling up or down). The limiting side equals its maximum
    /// exactly; the other is rounded to the nearest pixel, at least 1.
    public static func fitSize(width: Int, height: Int, maxWidth: Int, maxHeight: Int) -> (width: Int, height: Int) {
        precondition(width > 0 && height > 0 && maxWidth > 0 && maxHeight > 0, "sizes must be positive")
        // Compare width/height against maxWidth/maxHeight exactly, in integers.
        if width * maxHeight >= height * maxWidth {
            let fitted = (height * maxWidth + width / 2) / width
            return (maxWidth, min(max(fitted, 1), maxHeight))
        } else {
            let fitted = (width * maxHeight + height / 2) / height
            return (min(max(fitted, 1), maxWidth), maxHeight)
        }
    }
}
