#if canImport(Glibc)
internal import Glibc
#endif

/// The Philox4x32-10 counter-based generator (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3").
///
/// Every block of random bits is a pure function of a 64-bit key (the seed) and a 128-bit counter, so any draw
/// can be recomputed on its own: by another thread, on another machine, or for a counterfactual twin that must
/// reuse exactly its original's noise. Fairground lays the counter out as `(row, column, stream)`:
/// `row` is the user or item id, `column` the draw index, and `stream` separates independent uses.
public struct Philox: Sendable, Hashable {
    /// The two key words (low and high half of the seed).
    public let key: (UInt32, UInt32)

    /// Creates a generator keyed by a 64-bit seed.
    public init(seed: UInt64) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    /// Two generators are equal when their keys are.
    public static func == (a: Philox, b: Philox) -> Bool { a.key == b.key }

    /// Hashes the key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key.0)
        hasher.combine(key.1)
    }

    /// The raw Philox4x32-10 bijection of a four-word counter under this key.
    @inlinable @inline(__always)
    public func block(_ counter: (UInt32, UInt32, UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var c = counter
        var k0 = key.0, k1 = key.1
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let p0 = UInt64(0xD251_1F53) &* UInt64(c.0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.2)
            c = (
                UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ k0, UInt32(truncatingIfNeeded: p1),
                UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ k1, UInt32(truncatingIfNeeded: p0)
            )
        }
        return c
    }

    /// The block at `(row, column, stream)`.
    @inlinable @inline(__always)
    public func block(row: Int, column: Int, stream: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        let r = UInt64(bitPattern: Int64(row))
        return block((UInt32(truncatingIfNeeded: r), UInt32(truncatingIfNeeded: r >> 32),
                      UInt32(truncatingIfNeeded: column), stream))
    }

    /// A uniform `Double` in the open interval (0, 1) with 52 random bits, from two words.
    @inlinable
    public static func unitInterval(_ high: UInt32, _ low: UInt32) -> Double {
        let bits = (UInt64(high) << 20) | UInt64(low >> 12)
        return (Double(bits) + 0.5) * 0x1p-52
    }

    /// A uniform `Double` in (0, 1) with 32 random bits, from one word.
    @inlinable
    public static func unitInterval(_ word: UInt32) -> Double {
        (Double(word) + 0.5) * 0x1p-32
    }

    /// A uniform draw in (0, 1) at `(row, column, stream)`.
    @inlinable
    public func uniform(row: Int, column: Int, stream: UInt32) -> Double {
        let b = block(row: row, column: column, stream: stream)
        return Philox.unitInterval(b.0, b.1)
    }
}
