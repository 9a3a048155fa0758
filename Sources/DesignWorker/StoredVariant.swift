import Storage

/// A variant whose blob is stored: what its asset row records (the bytes are dropped).
struct StoredVariant: Sendable {
    var candidate: Int
    var variant: DesignVariant
    var key: StorageKey
    var width: Int
    var height: Int
    var byteSize: Int
    var sha256: [UInt8]
    var effectiveDPI: Int?

    init(candidate: Int, encoded: EncodedVariant, key: StorageKey) {
        self.candidate = candidate
        self.variant = encoded.variant
        self.key = key
        self.width = encoded.width
        self.height = encoded.height
        self.byteSize = encoded.png.count
        self.sha256 = encoded.sha256
        self.effectiveDPI = encoded.effectiveDPI
    }
}
