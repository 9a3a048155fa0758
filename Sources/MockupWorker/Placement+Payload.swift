import Mockups
import ProductFlow

extension Placement {
    /// The catalogue form of a payload's placement; `nil` for an unknown side (a payload
    /// from a newer intake), which the handler refuses.
    init?(_ payload: PrintPlacement) {
        guard let side = PrintSide(rawValue: payload.side) else { return nil }
        self.init(preset: payload.preset, side: side,
                  box: MillimetreRect(x: payload.xMM, y: payload.yMM, width: payload.widthMM, height: payload.heightMM))
    }
}
