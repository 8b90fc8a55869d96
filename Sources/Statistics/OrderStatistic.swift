/// The j-th smallest record across several sorted arrays, found without merging them: bisection over the records'
/// values, counting with a binary search in each array. Reads O(arrays × 128 × log n) records, so memory-mapped
/// shards of any size are touched in a few pages.
///
/// A record is `width` consecutive `UInt64`s (1 or 2) compared lexicographically; each array is sorted ascending.
package enum OrderStatistic {
    /// A record as a pair (the second word 0 for width 1).
    package typealias Record = (UInt64, UInt64)

    @inline(__always)
    package static func record(_ a: UnsafeBufferPointer<UInt64>, _ i: Int, width: Int) -> Record {
        width == 2 ? (a[2 * i], a[2 * i + 1]) : (a[i], 0)
    }

    @inline(__always)
    package static func lessOrEqual(_ a: Record, _ b: Record) -> Bool { a.0 != b.0 ? a.0 < b.0 : a.1 <= b.1 }

    /// How many records of `a` are ≤ `x`.
    package static func count(_ a: UnsafeBufferPointer<UInt64>, width: Int, atMost x: Record) -> Int {
        var lo = 0, hi = a.count / width
        while lo < hi {
            let mid = (lo + hi) / 2
            if lessOrEqual(record(a, mid, width: width), x) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The record of rank `j` (0-based) among all records of `arrays`.
    ///
    /// - Precondition: `0 ≤ j <` the total number of records.
    package static func select(_ j: Int, in arrays: [UnsafeBufferPointer<UInt64>], width: Int) -> Record {
        func total(_ x: Record) -> Int { arrays.reduce(0) { $0 + count($1, width: width, atMost: x) } }
        precondition(j >= 0 && j < arrays.reduce(0) { $0 + $1.count / width }, "An order statistic outside the data")
        // The smallest first word h with more than j records ≤ (h, max), then the smallest second word.
        var lo: UInt64 = 0, hi = UInt64.max
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if total((mid, .max)) > j { hi = mid } else { lo = mid + 1 }
        }
        let first = lo
        guard width == 2 else { return (first, 0) }
        var lo2: UInt64 = 0, hi2 = UInt64.max
        while lo2 < hi2 {
            let mid = lo2 + (hi2 - lo2) / 2
            if total((first, mid)) > j { hi2 = mid } else { lo2 = mid + 1 }
        }
        return (first, lo2)
    }

    /// A float's bits as an unsigned integer of the same order (−0 taken as +0).
    @inline(__always)
    package static func ordered(_ x: Float) -> UInt32 {
        let bits = (x == 0 ? 0 : x).bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// The float whose ``ordered(_:)`` bits are `o`.
    @inline(__always)
    package static func float(ordered o: UInt32) -> Float {
        Float(bitPattern: o & 0x8000_0000 != 0 ? o & 0x7fff_ffff : ~o)
    }
}
