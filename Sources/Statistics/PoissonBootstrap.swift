import Linear

/// Per-cell sums of per-user values, for the data and for bootstrap replicates of it.
///
/// The Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012) gives each user an independent
/// Poisson(1) weight per replicate instead of drawing n users with replacement; for large n the two agree, and
/// the weights are a pure function of `(seed, user id, replicate)`, so replicates need no shared state and are
/// identical on any thread count. Every audit statistic is a function of per-group sums, so a replicate is
/// `W · V` — (replicates × users) weights times (users × columns) values — computed with `dgemm` per block of
/// ``block`` consecutive user ids and per intersectional cell. Blocks are fixed by the ids alone and their results
/// are added exactly (``ExactSum``), so the sums of a shard of whole blocks add up to the whole population's, bit
/// for bit.
package struct PoissonBootstrap: Sendable {
    /// User ids per block: `id / block` names a user's block. A shard of an audit holds whole blocks.
    package static let block = 4096

    package let replicates: Int
    package let seed: UInt64

    /// A bootstrap of `replicates` replicates whose weights are keyed by `seed`.
    package init(replicates: Int, seed: UInt64) {
        self.replicates = replicates
        self.seed = seed
    }

    /// Sums as doubles.
    package struct Sums: Sendable {
        /// `cells × columns` sums of the values.
        package var point: [Double]
        /// `cells × columns` sums of the squared values.
        package var squares: [Double]
        /// `replicates × cells × columns` weighted sums.
        package var replicated: [Double]
    }

    /// Exact sums (fixed point, ``ExactSum``): they add up in any order.
    package struct ExactSums: Sendable, Equatable {
        package var point: [Int128]
        package var squares: [Int128]
        package var replicated: [Int128]

        package init(cells: Int, columns: Int, replicates: Int) {
            point = [Int128](repeating: 0, count: cells * columns)
            squares = point
            replicated = [Int128](repeating: 0, count: replicates * cells * columns)
        }

        package init(point: [Int128], squares: [Int128], replicated: [Int128]) {
            self.point = point
            self.squares = squares
            self.replicated = replicated
        }

        /// Adds `other` (of the same shape).
        package mutating func add(_ other: ExactSums) {
            precondition(other.point.count == point.count && other.replicated.count == replicated.count,
                         "Sums of different shapes")
            for i in point.indices {
                point[i] += other.point[i]
                squares[i] += other.squares[i]
            }
            for i in replicated.indices { replicated[i] += other.replicated[i] }
        }

        /// The nearest doubles.
        package var doubles: Sums {
            Sums(point: point.map(ExactSum.double), squares: squares.map(ExactSum.double),
                 replicated: replicated.map(ExactSum.double))
        }
    }

    /// Sums `row(u)` (a `columns`-wide row of values for user row `u`) per cell, plainly and per replicate.
    package func sums(
        cells: [Int32], cellCount: Int, userIDs: [Int], columns: Int, threads: Int,
        row: @escaping @Sendable (Int, UnsafeMutableBufferPointer<Double>) -> Void
    ) -> ExactSums {
        // Rows ordered by (block of their id, cell, row), then cut where the block or the cell changes.
        let key = cells.indices.map { userIDs[$0] / Self.block * cellCount + Int(cells[$0]) }
        let order = key.indices.sorted { key[$0] != key[$1] ? key[$0] < key[$1] : $0 < $1 }
        var chunks: [(cell: Int, range: Range<Int>)] = []
        var lo = 0
        while lo < order.count {
            var hi = lo + 1
            while hi < order.count && key[order[hi]] == key[order[lo]] { hi += 1 }
            chunks.append((Int(cells[order[lo]]), lo..<hi))
            lo = hi
        }
        let b = replicates
        let tasks = chunks
        let philox = Philox(seed: seed)
        let sortedOrder = order
        let work: @Sendable (Int) -> (point: [Int128], squares: [Int128], replicated: [Int128]) = { t in
            let (_, range) = tasks[t]
            let n = range.count
            var values = Matrix<Double>(rows: n, columns: columns)
            var weights = Matrix<Double>(rows: b, columns: n)
            var point = [Double](repeating: 0, count: columns)
            var squares = [Double](repeating: 0, count: columns)
            values.elements.withUnsafeMutableBufferPointer { v in
                for (r, p) in range.enumerated() {
                    let slice = UnsafeMutableBufferPointer(rebasing: v[(r * columns)..<((r + 1) * columns)])
                    row(sortedOrder[p], slice)
                    for c in 0..<columns {
                        point[c] += slice[c]
                        squares[c] += slice[c] * slice[c]
                    }
                }
            }
            weights.elements.withUnsafeMutableBufferPointer { w in
                for (r, p) in range.enumerated() {
                    let user = userIDs[sortedOrder[p]]
                    for q in stride(from: 0, to: b, by: 4) {
                        let words = philox.block(row: user, column: q / 4, stream: Self.stream)
                        for j in 0..<min(4, b - q) { w[(q + j) * n + r] = Self.poisson(Self.word(words, j)) }
                    }
                }
            }
            let product = weights.multiplied(by: values)
            return (point.map(ExactSum.fixed), squares.map(ExactSum.fixed), product.elements.map(ExactSum.fixed))
        }
        var sums = ExactSums(cells: cellCount, columns: columns, replicates: b)
        // In batches, so the chunks' partial sums never all sit in memory at once; exact sums add in any order.
        let batch = max(1, threads) * 8
        for first in stride(from: 0, to: chunks.count, by: batch) {
            let count = min(batch, chunks.count - first)
            let results = ParallelBlocks.map(count: count, threads: threads) { work(first + $0) }
            for (i, result) in results.enumerated() {
                let cell = chunks[first + i].cell
                for c in 0..<columns {
                    sums.point[cell * columns + c] += result.point[c]
                    sums.squares[cell * columns + c] += result.squares[c]
                }
                for q in 0..<b {
                    for c in 0..<columns {
                        sums.replicated[(q * cellCount + cell) * columns + c] += result.replicated[q * columns + c]
                    }
                }
            }
        }
        return sums
    }

    /// The random stream of bootstrap weights.
    package static let stream = RandomStream.bootstrap.rawValue

    /// Cumulative Poisson(1) probabilities, P(X ≤ k), scaled to 2³².
    package static let cumulative: [Double] = {
        var result: [Double] = []
        var term = 1 / 2.718281828459045, total = 0.0
        for k in 0..<20 {
            total += term
            result.append(total * 4_294_967_296)
            term /= Double(k + 1)
        }
        return result
    }()

    @inline(__always)
    package static func word(_ t: (UInt32, UInt32, UInt32, UInt32), _ j: Int) -> UInt32 {
        switch j {
        case 0: t.0
        case 1: t.1
        case 2: t.2
        default: t.3
        }
    }

    /// A Poisson(1) draw by inversion of one random word.
    @inline(__always)
    package static func poisson(_ word: UInt32) -> Double {
        let x = Double(word) + 0.5
        var k = 0
        while k < cumulative.count - 1 && x > cumulative[k] { k += 1 }
        return Double(k)
    }
}
