import Imaging
import PNG

extension RGBAImage {
    /// The decoded image as straight-alpha RGBA8 (opaque when the file had no alpha).
    init(_ image: Image) {
        switch image.format {
        case .rgba8:
            self.init(width: image.width, height: image.height, pixels: image.pixels)
        case .rgb8:
            let count = image.width * image.height
            let pixels = [UInt8](unsafeUninitializedCapacity: count * 4) { buffer, initialized in
                image.pixels.withUnsafeBufferPointer { rgb in
                    for index in 0..<count {
                        buffer[index * 4] = rgb[index * 3]
                        buffer[index * 4 + 1] = rgb[index * 3 + 1]
                        buffer[index * 4 + 2] = rgb[index * 3 + 2]
                        buffer[index * 4 + 3] = 255
                    }
                }
                initialized = count * 4
            }
            self.init(width: image.width, height: image.height, pixels: pixels)
        }
    }
}

extension Image {
    /// An RGBA8 PNG image of `raster`, recording `dpi` in pHYs when given.
    init(_ raster: RGBAImage, dpi: Int?) {
        self.init(width: raster.width, height: raster.height, format: .rgba8, pixels: raster.pixels, dpi: dpi)
    }
}
