import Testing
#if canImport(Glibc)
import Glibc
#endif
import Linear

@Suite struct GatheredRowsTests {
    /// Small integers: every product and partial sum is exact in Float, so any summation order gives the same bits.
    static func table(rows: Int, k: Int, salt: Int) -> [Float] {
        (0..<(rows * k)).map { Float(($0 * 7 + salt) % 11) - 5 }
    }

    @Test("The normal-equations product equals the scalar loops", arguments: [1, 15, 16, 17, 48, 64, 70, 100, 128])
    func normalProduct(k: Int) {
        let base = Self.table(rows: 12, k: k, salt: 1), m = Self.table(rows: k, k: k, salt: 2)
        let u = Self.table(rows: 1, k: k, salt: 4), dense = Self.table(rows: 1, k: k, salt: 6)
        let v = Self.table(rows: 1, k: k, salt: 5)
        for count in [0, 1, 3, 4, 5, 9] {
            let indices = (0..<count).map { Int32(($0 * 5 + 2) % 12) }
            let weights = (0..<count).map { Float($0 % 3) - 1 }, offsets = (0..<count).map { Float($0 % 4) }
            for withOffsets in [false, true] {
                var out = [Float](repeating: .nan, count: k)
                offsets.withUnsafeBufferPointer { o in out.withUnsafeMutableBufferPointer { result in
                    GatheredRows.normalProduct(scale: -2, u, matrix: m, dense, rows: base, indices: indices, count: count,
                                               offsets: withOffsets ? o.baseAddress! : nil, weights: weights,
                                               weightScale: -1, with: v, k: k, into: result.baseAddress!)
                } }
                // Small integers: every product and partial sum is exact in Float, so any order gives the same bits.
                let expected = (0..<k).map { f in
                    var a = -2 * u[f]
                    for row in 0..<k { a += dense[row] * m[row * k + f] }
                    for j in 0..<count {
                        let row = Int(indices[j]) * k
                        let dot = (0..<k).reduce(Float(0)) { $0 + base[row + $1] * v[$1] }
                        a += ((withOffsets ? offsets[j] : 0) - weights[j] * dot) * base[row + f]
                    }
                    return a
                }
                #expect(out == expected, "k \(k), count \(count), offsets \(withOffsets)")
            }
        }
    }

    /// Prefetching is a hint: it writes nothing, and it reads nothing past a row — the last row of a table that
    /// ends right before an inaccessible guard page is prefetched without a fault.
    @Test func prefetchStaysInsideTheRows() {
        let page = Int(sysconf(Int32(_SC_PAGESIZE))), k = 17, rows = 4
        guard let region = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              region != MAP_FAILED else {
            Issue.record("mmap failed")
            return
        }
        defer { munmap(region, 2 * page) }
        #expect(mprotect(region + page, page, PROT_NONE) == 0)
        let start = (region + page - rows * k * MemoryLayout<Float>.stride).assumingMemoryBound(to: Float.self)
        let values = Self.table(rows: rows, k: k, salt: 0)
        start.update(from: values, count: values.count)
        let indices: [Int32] = [3, 0, 2, 3]
        indices.withUnsafeBufferPointer { ip in
            GatheredRows.prefetch(UnsafePointer(start), indices: ip.baseAddress!, count: indices.count, k: k)
        }
        #expect(Array(UnsafeBufferPointer(start: start, count: values.count)) == values)
    }
}
