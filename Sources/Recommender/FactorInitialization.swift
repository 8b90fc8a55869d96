#if canImport(Glibc)
internal import Glibc
#endif

/// Deterministic initial factors: 0.01 × N(0, 1), each a pure function of (seed, row, column), like the
/// `implicit` library's small random start.
enum FactorInitialization {
    /// SplitMix64's finaliser: a strong 64-bit mixer.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func factors(rows: Int, columns: Int, seed: UInt64, side: UInt64) -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        let key = mix(seed ^ (side &* 0xD1B5_4A32_D192_ED03))
        for r in 0..<rows {
            for c in 0..<columns {
                let a = mix(key ^ mix(UInt64(r) &* 0x1_0000_0001 &+ UInt64(c)))
                let b = mix(a)
                let u1 = (Double(a >> 11) + 0.5) * 0x1p-53, u2 = Double(b >> 11) * 0x1p-53
                out[r * columns + c] = Float(0.01 * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
            }
        }
        return out
    }
}
