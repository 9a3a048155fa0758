/// Elementary functions built only from `+ − × ÷` and `rounded()`, all exactly specified
/// by IEEE 754, so results are bit-identical on every platform and libm version.
///
/// Why not `Foundation.sin`: the built-in art generator promises byte-identical output
/// across processes, machines and OS updates, and libm implementations may differ in
/// the last bit. It also keeps this module free of Foundation.
enum PortableMath {
    static let pi = 3.141_592_653_589_793

    /// Sine, absolute error below 1e-13 for |x| < 1e6.
    static func sin(_ x: Double) -> Double {
        let twoPi = 2 * pi
        // Reduce to [-π, π], then fold to [-π/2, π/2] where the series converges fast.
        var r = x - (x / twoPi).rounded() * twoPi
        if r > pi / 2 {
            r = pi - r
        } else if r < -pi / 2 {
            r = -pi - r
        }
        let r2 = r * r
        // Taylor series to r^17 (the next term is < 4e-14 on [-π/2, π/2]), Horner form.
        var sum = 1.0 / 355_687_428_096_000 // 1/17!
        sum = sum * -r2 + 1.0 / 1_307_674_368_000 // 1/15!
        sum = sum * -r2 + 1.0 / 6_227_020_800 // 1/13!
        sum = sum * -r2 + 1.0 / 39_916_800 // 1/11!
        sum = sum * -r2 + 1.0 / 362_880 // 1/9!
        sum = sum * -r2 + 1.0 / 5040
        sum = sum * -r2 + 1.0 / 120
        sum = sum * -r2 + 1.0 / 6
        sum = sum * -r2 + 1
        return r * sum
    }

    static func cos(_ x: Double) -> Double {
        sin(x + pi / 2)
    }
}
