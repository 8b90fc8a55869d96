/// A counter-based 64-bit hash (SplitMix64's finaliser, Steele et al. 2014): a cheap keyed draw for the
/// recommender's registered streams (``RandomStream/factorInitialization``, ``RandomStream/holdoutSplit``), whose
/// outputs must not depend on the thread count or the order of rows.
public enum CounterHash {
    /// SplitMix64's finaliser: a strong 64-bit mixer.
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
