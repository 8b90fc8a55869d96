import Linear
import Dispatch
import Synchronization

/// Solves the regularised weighted least-squares problem of every row of a sparse matrix against fixed factors:
/// one half-sweep of implicit ALS, and the fold-in of new rows.
struct RowSolver {
    /// Confidence, preference and regularisation of each row.
    let rule: FoldInRule
    /// Exact or conjugate gradient.
    let solver: ALSConfiguration.Solver
    let threads: Int
    /// Rows handled together; results never depend on it.
    static let chunk = 256
    /// Entries gathered per `ssyrk` call in the exact solver.
    static let gatherRows = 512
    /// How many rows ahead CG prefetches the fixed factors it will read (measured on the Last.fm-shaped
    /// benchmark, whose factors do not fit in cache: two rows ahead into L2 beat one ahead into L1 and none).
    static let prefetchDistance = 2

    /// Overwrites `target` (rows × k, also the warm start for CG) with the solutions for `rows` against `fixed`.
    ///
    /// - Returns: The rows whose system was not positive definite (exact solver only), in increasing order; they
    ///   keep their previous values in `target`.
    @discardableResult
    func solve(rows matrix: CSRMatrix<Float>, fixed: Matrix<Float>, into target: inout Matrix<Float>) -> [Int] {
        solve(terms: SparseRows(matrix), fixed: fixed, into: &target)
    }

    /// Overwrites `target` (rows × k) with the solutions for the rows of `matrix`, each term entering its row's
    /// problem on its own (a repeated column adds its confidence twice).
    ///
    /// - Returns: The rows whose system was not positive definite, as ``solve(rows:fixed:into:)``.
    @discardableResult
    func solve(terms matrix: SparseRows, fixed: Matrix<Float>, into target: inout Matrix<Float>) -> [Int] {
        let unsolved = Mutex<[Int]>([])
        let k = fixed.columns
        let gram = Self.gram(fixed)
        let chunks = (matrix.rows + Self.chunk - 1) / Self.chunk
        let workers = max(1, min(threads, chunks))
        target.elements.withUnsafeMutableBufferPointer { out in
        fixed.elements.withUnsafeBufferPointer { y in
        gram.withUnsafeBufferPointer { g in
        matrix.columnIndices.withUnsafeBufferPointer { columns in
        matrix.values.withUnsafeBufferPointer { values in
            let shared = SharedBuffers(target: out.baseAddress!, fixed: y.baseAddress!, gram: g.baseAddress!,
                                       columns: columns.baseAddress!, values: values.baseAddress!)
            // Chunks are handed out in order to whichever worker is free (rows differ widely in length); a
            // row's result never depends on which worker solves it.
            let nextChunk = Atomic<Int>(0)
            let work: @Sendable (Int) -> Void = { _ in
                var scratch = Scratch(k: k)
                while case let c = nextChunk.add(1, ordering: .relaxed).oldValue, c < chunks {
                    let rows = (c * Self.chunk)..<min((c + 1) * Self.chunk, matrix.rows)
                    switch solver {
                    case .cholesky:
                        for lo in stride(from: rows.lowerBound, to: rows.upperBound, by: SPDKernel.batchWidth) {
                            let failed = solveExactly(lo..<min(lo + SPDKernel.batchWidth, rows.upperBound),
                                                      matrix: matrix, shared: shared, k: k, scratch: &scratch)
                            if !failed.isEmpty { unsolved.withLock { $0 += failed } }
                        }
                    case .conjugateGradient(let steps):
                        for row in rows {
                            // The factor rows of the row after next load while this one computes.
                            let ahead = row + Self.prefetchDistance
                            if ahead < rows.upperBound {
                                let first = matrix.rowPointers[ahead]
                                GatheredRows.prefetch(shared.fixed, indices: shared.columns + first,
                                                      count: matrix.rowPointers[ahead + 1] - first, k: k)
                            }
                            solveByCG(matrix.rowPointers[row]..<matrix.rowPointers[row + 1], shared: shared,
                                      x: shared.target + row * k, k: k, steps: steps, scratch: &scratch)
                        }
                    }
                }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        }
        }
        }
        }
        }
        return unsolved.withLock { $0.sorted() }
    }

    /// `YᵀY`, full and symmetric (OpenBLAS runs on one thread: ``BLASThreads``).
    static func gram(_ y: Matrix<Float>) -> [Float] {
        y.gram().elements
    }

    struct SharedBuffers: @unchecked Sendable {
        let target: UnsafeMutablePointer<Float>
        let fixed: UnsafePointer<Float>
        let gram: UnsafePointer<Float>
        let columns: UnsafePointer<Int32>
        let values: UnsafePointer<Float>
    }

    struct Scratch {
        var a: [Float], b: [Float]
        var positive: [Float], negative: [Float]
        /// CG's r, p and A·p, one after the other.
        var vectors: [Float]
        /// CG's per-entry products; grown to the longest row seen.
        var coefficients: [Float] = []
        init(k: Int) {
            a = [Float](repeating: 0, count: SPDKernel.batchWidth * k * k)
            b = [Float](repeating: 0, count: SPDKernel.batchWidth * k)
            vectors = [Float](repeating: 0, count: 3 * k)
            positive = [Float](repeating: 0, count: RowSolver.gatherRows * k)
            negative = positive
        }
    }

    /// Cholesky for up to eight rows at once: each row's A = YᵀY + λI + Σ (c − 1)·y yᵀ (rank updates on gathered
    /// rows scaled by √|c − 1|) and b = Σ c·p·y, then one lane-parallel ``SPDKernel/solveBatch``. A row's
    /// result never depends on the other rows of its batch.
    func solveExactly(
        _ rows: Range<Int>, matrix: SparseRows, shared: SharedBuffers, k: Int, scratch s: inout Scratch
    ) -> [Int] {
        var failed: [Int] = []
        s.a.withUnsafeMutableBufferPointer { a in
            s.b.withUnsafeMutableBufferPointer { b in
                s.positive.withUnsafeMutableBufferPointer { pos in
                    s.negative.withUnsafeMutableBufferPointer { neg in
                        for (r, row) in rows.enumerated() {
                            let ar = a.baseAddress! + r * k * k, br = b.baseAddress! + r * k
                            ar.update(from: shared.gram, count: k * k)
                            let first = matrix.rowPointers[row]
                            let lambda = rule.lambda(shared.values + first, count: matrix.rowPointers[row + 1] - first)
                            for f in 0..<k { ar[f * k + f] += lambda }
                            br.update(repeating: 0, count: k)
                            var gram = WeightedGram(k: k, capacity: RowSolver.gatherRows, positive: pos.baseAddress!,
                                                    negative: neg.baseAddress!)
                            for p in matrix.rowPointers[row]..<matrix.rowPointers[row + 1] {
                                let y = shared.fixed + Int(shared.columns[p]) * k
                                let value = shared.values[p]
                                let c = rule.confidence(value)
                                if value > 0 { VectorKernels.axpy(c, y, br, k) }
                                gram.add(y, weight: c - 1, into: ar)
                            }
                            gram.flush(into: ar)
                        }
                        let solved = SPDKernel.solveBatch(a.baseAddress!, b.baseAddress!, n: k, count: rows.count)
                        for (r, row) in rows.enumerated() {
                            if solved & (1 << r) != 0 {
                                (shared.target + row * k).update(from: b.baseAddress! + r * k, count: k)
                            } else {
                                failed.append(row)
                            }
                        }
                    }
                }
            }
        }
            return failed
    }

    /// Conjugate gradient from the current factors, `steps` iterations (implicit's update, Takács et al. 2011).
    /// Every product A·v = (YᵀY + λI)·v + Σ (c − 1)(y·v)·y is one pass over the Gram matrix and one over the row's
    /// entries, each entry's factors read once (`GatheredRows.normalProduct`).
    func solveByCG(
        _ entries: Range<Int>, shared: SharedBuffers, x: UnsafeMutablePointer<Float>, k: Int, steps: Int,
        scratch s: inout Scratch
    ) {
        let n = entries.count
        if s.coefficients.count < 2 * n { s.coefficients = [Float](repeating: 0, count: 2 * n) }
        let columns = shared.columns + entries.lowerBound, values = shared.values + entries.lowerBound
        let lambda = rule.lambda(values, count: n)
        s.vectors.withUnsafeMutableBufferPointer { vectors in
        s.coefficients.withUnsafeMutableBufferPointer { coefficients in
            let r = vectors.baseAddress!, p = r + k, ap = p + k
            // Per entry: its weight c − 1 in A, and its target c·p in b.
            let weights = coefficients.baseAddress!, targets = weights + n
            for j in 0..<n {
                weights[j] = rule.confidence(values[j]) - 1
                targets[j] = rule.target(values[j])
            }
            // r = b − A·x = −(YᵀY + λI)·x + Σ (c·p − (c − 1)·(y·x))·y, with p = −x for the Gram term.
            for f in 0..<k { p[f] = -x[f] }
            GatheredRows.normalProduct(scale: -lambda, x, matrix: shared.gram, p, rows: shared.fixed, indices: columns,
                                       count: n, offsets: targets, weights: weights, weightScale: -1, with: x, k: k,
                                       into: r)
            p.update(from: r, count: k)
            var rs = VectorKernels.dot(r, r, k)
            for _ in 0..<steps {
                if rs < 1e-20 { break }
                GatheredRows.normalProduct(scale: lambda, p, matrix: shared.gram, p, rows: shared.fixed,
                                           indices: columns, count: n, offsets: nil, weights: weights, weightScale: 1,
                                           with: p, k: k, into: ap)
                let pap = VectorKernels.dot(p, ap, k)
                guard pap > 0 else { break }
                let alpha = rs / pap
                VectorKernels.axpy(alpha, p, x, k)
                VectorKernels.axpy(-alpha, ap, r, k)
                let next = VectorKernels.dot(r, r, k)
                let beta = next / rs
                for f in 0..<k { p[f] = r[f] + beta * p[f] }
                rs = next
            }
        }
        }
    }
}
