import Linear
import Population

/// Per-cell sums of per-user values, for the data and for bootstrap replicates of it.
///
/// The Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012) gives each user an independent
/// Poisson(1) weight per replicate instead of drawing n users with replacement; for large n the two agree, and
/// the weights are a pure function of `(seed, user id, replicate)`, so replicates need no shared state and are
/// identical on any thread count. Every audit statistic is a function of per-group sums, so a replicate is
/// `W · V` — (replicates × users) weights times (users × columns) values — computed in fixed-shape chunks with
/// `dgemm`, per intersectional cell.
struct PoissonBootstrap: Sendable {
    /// Users per chunk; results never depend on it.
    static let chunk = 1024

    let replicates: Int
    let seed: UInt64

    struct Sums: Sendable {
        /// `cells × columns` sums of the values.
        var point: [Double]
        /// `cells × columns` sums of the squared values.
        var squares: [Double]
        /// `replicates × cells × columns` weighted sums.
        var replicated: [Double]
    }

    /// Sums `row(u)` (a `columns`-wide row of values for user row `u`) per cell, plainly and per replicate.
    func sums(
        cells: [Int32], cellCount: Int, userIDs: [Int], columns: Int, threads: Int,
        row: @escaping @Sendable (Int, UnsafeMutableBufferPointer<Double>) -> Void
    ) -> Sums {
        // Users grouped by cell (stable), then cut into chunks that never straddle a cell.
        var order = [Int](repeating: 0, count: cells.count)
        var start = [Int](repeating: 0, count: cellCount + 1)
        for c in cells { start[Int(c) + 1] += 1 }
        for c in 0..<cellCount { start[c + 1] += start[c] }
        var fill = start
        for (u, c) in cells.enumerated() {
            order[fill[Int(c)]] = u
            fill[Int(c)] += 1
        }
        var chunks: [(cell: Int, range: Range<Int>)] = []
        for c in 0..<cellCount {
            for lo in stride(from: start[c], to: start[c + 1], by: Self.chunk) {
                chunks.append((c, lo..<min(lo + Self.chunk, start[c + 1])))
            }
        }
        let b = replicates
        let tasks = chunks
        let philox = Philox(seed: seed)
        let sortedOrder = order
        let work: @Sendable (Int) -> (point: [Double], squares: [Double], replicated: [Double]) = { t in
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
            return (point, squares, product.elements)
        }
        let results = ParallelBlocks.map(count: chunks.count, threads: threads, work)
        var sums = Sums(point: [Double](repeating: 0, count: cellCount * columns),
                        squares: [Double](repeating: 0, count: cellCount * columns),
                        replicated: [Double](repeating: 0, count: b * cellCount * columns))
        for (t, result) in results.enumerated() {
            let cell = chunks[t].cell
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
        return sums
    }

    /// The random stream of bootstrap weights.
    static let stream = RandomStream.bootstrap.rawValue

    /// Cumulative Poisson(1) probabilities, P(X ≤ k), scaled to 2³².
    static let cumulative: [Double] = {
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
    static func word(_ t: (UInt32, UInt32, UInt32, UInt32), _ j: Int) -> UInt32 {
        switch j {
        case 0: t.0
        case 1: t.1
        case 2: t.2
        default: t.3
        }
    }

    /// A Poisson(1) draw by inversion of one random word.
    @inline(__always)
    static func poisson(_ word: UInt32) -> Double {
        let x = Double(word) + 0.5
        var k = 0
        while k < cumulative.count - 1 && x > cumulative[k] { k += 1 }
        return Double(k)
    }
}
