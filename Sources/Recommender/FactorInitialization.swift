#if canImport(Glibc)
internal import Glibc
#endif
import Linear

/// Deterministic initial factors: 0.01 × N(0, 1), each a pure function of (seed, row, column) drawn from the
/// registered stream ``RandomStream/factorInitialization``, like the `implicit` library's small random start.
enum FactorInitialization {
    static func factors(rows: Int, columns: Int, seed: UInt64, side: UInt64) -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        let key = CounterHash.mix(seed ^ (side &* 0xD1B5_4A32_D192_ED03))
        for r in 0..<rows {
            for c in 0..<columns {
                let a = CounterHash.mix(key ^ CounterHash.mix(UInt64(r) &* 0x1_0000_0001 &+ UInt64(c)))
                let b = CounterHash.mix(a)
                let u1 = (Double(a >> 11) + 0.5) * 0x1p-53, u2 = Double(b >> 11) * 0x1p-53
                out[r * columns + c] = Float(0.01 * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
            }
        }
        return out
    }
}
