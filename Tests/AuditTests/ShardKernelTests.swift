import Statistics
@testable import Audit
import Sharding
import Testing
import TestSupport

/// The kernels a sharded audit's exactness rests on: order statistics across sorted shards, exact sums whose
/// order never matters, and shards of whole id blocks.
@Suite struct ShardKernelTests {
    /// Every rank of records spread over several sorted arrays (with ties in the first word) is the rank's record
    /// of their sorted union, for records of one and of two words.
    @Test func orderStatisticsAcrossSortedArraysAreThoseOfTheUnion() {
        var rng = TestLCG(seed: 11)
        for width in [1, 2] {
            for _ in 0..<20 {
                let shards = Int.random(in: 1...5, using: &rng)
                var arrays: [[UInt64]] = []
                var all: [(UInt64, UInt64)] = []
                for _ in 0..<shards {
                    let n = Int.random(in: 0...60, using: &rng)
                    var records = (0..<n).map { _ in
                        (UInt64.random(in: 0...8, using: &rng) << 60, width == 2 ? UInt64.random(in: 0...UInt64.max, using: &rng) : 0)
                    }
                    records.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                    all += records
                    arrays.append(width == 2 ? records.flatMap { [$0.0, $0.1] } : records.map(\.0))
                }
                all.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                let buffers = arrays.map { a in
                    let b = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: a.count)
                    _ = b.initialize(from: a)
                    return UnsafeBufferPointer(b)
                }
                defer { for b in buffers { b.deallocate() } }
                for j in all.indices {
                    let r = OrderStatistic.select(j, in: buffers, width: width)
                    #expect(r == all[j], "width \(width), rank \(j)")
                }
            }
        }
    }

    /// The ordered bits of floats sort as the floats do, −0 and +0 alike, and decode back.
    @Test func orderedBitsSortAsTheFloats() {
        let values: [Float] = [-.greatestFiniteMagnitude, -3.5, -1e-30, -0.0, 0, 1e-30, 2, .greatestFiniteMagnitude]
        let ordered = values.map(OrderStatistic.ordered)
        for i in 1..<values.count { #expect(ordered[i - 1] <= ordered[i]) }
        #expect(OrderStatistic.ordered(-0.0) == OrderStatistic.ordered(0))
        for v in values { #expect(OrderStatistic.float(ordered: OrderStatistic.ordered(v)) == v) }
    }

    /// Exact sums of the same terms in any order, split any way, are the same bits; and close to the plain sum.
    @Test func exactSumsDoNotDependOnOrder() {
        var rng = TestLCG(seed: 3)
        let terms = (0..<5000).map { _ in Double.random(in: -1e6...1e6, using: &rng) * Double.random(in: 0...1, using: &rng) }
        let forward = terms.reduce(Int128(0)) { $0 + ExactSum.fixed($1) }
        let backward = terms.reversed().reduce(Int128(0)) { $0 + ExactSum.fixed($1) }
        let shuffled = terms.shuffled(using: &rng).reduce(Int128(0)) { $0 + ExactSum.fixed($1) }
        #expect(forward == backward && forward == shuffled)
        let plain = terms.reduce(0, +)
        #expect(abs(ExactSum.double(forward) - plain) <= 1e-6 * terms.reduce(0) { $0 + abs($1) } / Double(terms.count))
        #expect(ExactSum.double(ExactSum.fixed(0.1)) == 0.1)
        #expect(ExactSum.double(ExactSum.fixed(-12345.678)) == -12345.678)
        #expect(ExactSum.fixed(0) == 0 && ExactSum.fixed(1e-30) == 0)
    }

    /// Shards partition the users into runs of whole blocks, in order, for worlds that start anywhere.
    @Test func shardsHoldWholeBlocksAndCoverEveryUser() throws {
        let b = AuditShard.block
        for users in [0..<(5 * b), 100..<(3 * b + 7), (2 * b)..<(2 * b + 1), 0..<(b * 9 + 1)] {
            let blocks = (users.upperBound - 1) / b - users.lowerBound / b + 1
            for n in 1...min(blocks, 6) {
                var next = users.lowerBound
                for i in 1...n {
                    let range = try AuditShard(index: i, count: n).users(of: users)
                    #expect(range.lowerBound == next && !range.isEmpty)
                    if i < n { #expect(range.upperBound % b == 0) }
                    next = range.upperBound
                }
                #expect(next == users.upperBound)
            }
            #expect(throws: (any Error).self) { try AuditShard(index: 1, count: blocks + 1).users(of: users) }
        }
        #expect(throws: (any Error).self) { try AuditShard(parsing: "0/3") }
        #expect(throws: (any Error).self) { try AuditShard(parsing: "2") }
        #expect(try AuditShard(parsing: "2/3") == AuditShard(index: 2, count: 3))
    }
}
