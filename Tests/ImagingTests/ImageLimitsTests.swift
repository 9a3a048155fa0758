import Imaging
import Testing

@Suite("Image size limits")
struct ImageLimitsTests {
    let limits = ImageLimits(maxWidth: 1000, maxHeight: 800, maxPixels: 500_000)

    @Test("a size within every limit passes")
    func withinLimits() throws {
        try limits.check(width: 1000, height: 500)
        #expect(limits.violation(width: 1, height: 1) == nil)
    }

    @Test("each exceeded limit is named with the excess", arguments: [
        (1500, 10, ImageLimits.Limit.width, 500, "width 1500 exceeds the limit of 1000 by 500"),
        (10, 900, .height, 100, "height 900 exceeds the limit of 800 by 100"),
        (1000, 700, .pixelCount, 200_000, "pixel count 700000 exceeds the limit of 500000 by 200000"),
    ])
    func exceeded(width: Int, height: Int, limit: ImageLimits.Limit, excess: Int, message: String) {
        #expect {
            try limits.check(width: width, height: height)
        } throws: { error in
            guard let error = error as? ImagingError else { return false }
            return error.code == .tooLarge && error.violation?.limit == limit
                && error.violation?.excess == excess && error.description.contains(message)
        }
    }

    @Test("a product that overflows Int is a pixel-count violation, not a crash")
    func overflow() {
        let huge = ImageLimits(maxWidth: .max, maxHeight: .max, maxPixels: .max)
        #expect(huge.violation(width: .max / 2, height: 4)?.limit == .pixelCount)
    }

    @Test("zero or negative sizes are invalid")
    func invalid() {
        #expect(throws: ImagingError.self) { try limits.check(width: 0, height: 10) }
        do {
            try limits.check(width: 10, height: -1)
        } catch {
            #expect(error.code == .invalidSize)
        }
    }
}
