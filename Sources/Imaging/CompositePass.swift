/// A compositor's work for one design, placement and shading map, done one template row
/// at a time: the same pass draws into a whole ``CompositeCanvas`` or into rows streaming
/// from a PNG decoder to a PNG encoder, with identical results.
public protocol CompositePass: Sendable {
    /// The template rows the pass may change; every other row passes through untouched.
    var rows: Range<Int> { get }

    /// Draws into `row`, template row `y`: the whole template width, RGB or RGBA
    /// (`channels` 3 or 4, straight alpha). Rows outside ``rows`` are left alone.
    func draw(into row: UnsafeMutableBufferPointer<UInt8>, y: Int, channels: Int)
}
