/// Exact sums of doubles: each value is rounded once to a fixed point of 2⁻⁶² and added as a 128-bit integer, so a
/// total never depends on the order of its terms — how users are split into blocks, threads or shards.
///
/// Magnitudes up to 2⁶⁵ (≈ 3.7·10¹⁹) are held exactly; a term's rounding error is at most 2⁻⁶³ (≈ 1.1·10⁻¹⁹).
package struct ExactSum {
    /// The fixed-point unit, 2⁻⁶².
    package static let scale = 62

    /// The fixed-point value of `x` (finite), rounded to nearest with ties away from zero.
    @inline(__always)
    package static func fixed(_ x: Double) -> Int128 {
        precondition(x.isFinite, "An audit sum of a non-finite value")
        guard x != 0, x.exponent >= -1022 else { return 0 }
        let m = Int128(x.significandBitPattern | (1 << 52))
        let shift = Int(x.exponent) - 52 + scale
        let magnitude: Int128
        if shift >= 0 {
            precondition(shift <= 73, "An audit sum beyond 2^65")
            magnitude = m << shift
        } else if shift < -54 {
            return 0
        } else {
            magnitude = (m + (Int128(1) << (-shift - 1))) >> -shift
        }
        return x < 0 ? -magnitude : magnitude
    }

    /// The double nearest to a fixed-point value.
    @inline(__always)
    package static func double(_ s: Int128) -> Double { Double(s) * 0x1p-62 }
}
