/// A projective transform of the plane (a 3×3 matrix acting on homogeneous points), as
/// used to map a flat design onto a garment photographed at an angle.
public struct Homography: Sendable, Hashable {
    /// Row-major 3×3 matrix; `m[8]` is 1 for transforms built from correspondences.
    public let matrix: [Double]

    /// - Precondition: nine finite entries.
    public init(matrix: [Double]) {
        precondition(matrix.count == 9 && matrix.allSatisfy(\.isFinite), "a homography is nine finite numbers")
        self.matrix = matrix
    }

    /// The transform taking each `source[i]` to `destination[i]` (four points each).
    ///
    /// Solves the usual 8×8 linear system by Gaussian elimination with partial pivoting.
    /// Returns `nil` when the points are degenerate (three of either set collinear), since
    /// then no unique projective map exists.
    public init?(from source: [SIMD2<Double>], to destination: [SIMD2<Double>]) {
        guard source.count == 4, destination.count == 4 else { return nil }
        // Rows of [A | b] for h = (h0…h7), h8 = 1.
        var system = [[Double]]()
        for (point, image) in zip(source, destination) {
            let (x, y, u, v) = (point.x, point.y, image.x, image.y)
            system.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
            system.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
        }
        // A solvable system can still give a singular matrix (three destination points in
        // a line): such a map squashes the plane and cannot be inverted.
        guard let solution = Self.solve(&system), Homography(matrix: solution + [1]).inverse != nil else { return nil }
        self.init(matrix: solution + [1])
    }

    /// Maps a point; points on the transform's vanishing line map to infinity (non-finite).
    public func apply(_ point: SIMD2<Double>) -> SIMD2<Double> {
        let m = matrix
        let w = m[6] * point.x + m[7] * point.y + m[8]
        return SIMD2((m[0] * point.x + m[1] * point.y + m[2]) / w, (m[3] * point.x + m[4] * point.y + m[5]) / w)
    }

    /// The inverse transform (adjugate over determinant), or `nil` if singular.
    public var inverse: Homography? {
        let m = matrix
        let cofactors = [
            m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
        ]
        let determinant = m[0] * cofactors[0] + m[1] * cofactors[3] + m[2] * cofactors[6]
        let scale = matrix.map(abs).max() ?? 1
        guard abs(determinant) > 1e-12 * scale * scale * scale else { return nil }
        // Normalising by the last entry keeps numbers comparable with `init(from:to:)`.
        let last = abs(cofactors[8]) > 1e-12 ? cofactors[8] : determinant
        return Homography(matrix: cofactors.map { $0 / last })
    }

    /// Solves an n×(n+1) augmented system in place; `nil` if it is (numerically) singular.
    private static func solve(_ a: inout [[Double]]) -> [Double]? {
        let n = a.count
        let scale = a.flatMap { $0.dropLast() }.map(abs).max() ?? 0
        guard scale > 0 else { return nil }
        for column in 0..<n {
            // Partial pivoting: the largest remaining entry keeps rounding error bounded.
            var pivot = column
            for row in column + 1..<n where abs(a[row][column]) > abs(a[pivot][column]) {
                pivot = row
            }
            guard abs(a[pivot][column]) > 1e-10 * scale else { return nil }
            a.swapAt(column, pivot)
            for row in column + 1..<n {
                let factor = a[row][column] / a[column][column]
                guard factor != 0 else { continue }
                for k in column...n {
                    a[row][k] -= factor * a[column][k]
                }
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = a[row][n]
            for k in row + 1..<n {
                sum -= a[row][k] * x[k]
            }
            x[row] = sum / a[row][row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
