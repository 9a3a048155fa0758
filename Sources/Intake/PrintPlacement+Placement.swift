import Mockups
import ProductFlow

extension PrintPlacement {
    /// The payload form of a catalogue placement.
    init(_ placement: Placement) {
        self.init(preset: placement.preset, side: placement.side.rawValue, xMM: placement.box.x, yMM: placement.box.y,
                  widthMM: placement.box.width, heightMM: placement.box.height)
    }
}
