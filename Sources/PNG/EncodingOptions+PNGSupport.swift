import PNGSupport

extension EncodingOptions.Filters {
    var code: UInt32 {
        let pairs: [(Self, Int)] = [
            (.none, PNGSUPPORT_FILTER_NONE), (.sub, PNGSUPPORT_FILTER_SUB), (.up, PNGSUPPORT_FILTER_UP),
            (.average, PNGSUPPORT_FILTER_AVERAGE), (.paeth, PNGSUPPORT_FILTER_PAETH),
        ]
        return pairs.reduce(0) { bits, pair in contains(pair.0) ? bits | UInt32(pair.1) : bits }
    }
}

extension EncodingOptions.Strategy {
    var code: Int32 {
        let value = switch self {
        case .default: PNGSUPPORT_STRATEGY_DEFAULT
        case .filtered: PNGSUPPORT_STRATEGY_FILTERED
        case .huffmanOnly: PNGSUPPORT_STRATEGY_HUFFMAN_ONLY
        case .rle: PNGSUPPORT_STRATEGY_RLE
        case .fixed: PNGSUPPORT_STRATEGY_FIXED
        }
        return Int32(value)
    }
}
