import Linear
import Dispatch

/// Solves the regularised weighted least-squares problem of every row of a sparse matrix against fixed factors:
/// one half-sweep of implicit ALS, and the fold-in of new rows.
struct RowSolver {
    let configuration: ALSConfiguration
    let threads: Int
    /// Rows handled together; results never depend on it.
    static let chunk = 256
    /// Entries gathered per `ssyrk` call in the exact solver.
    static let gatherRows = 512

    /// Overwrites `target` (rows × k, also the warm start for CG) with the solutions for `rows` against `fixed`.
    func solve(rows matrix: CSRMatrix<Float>, fixed: Matrix<Float>, into target: inout Matrix<Float>) {
        let k = fixed.columns
        let gram = Self.gram(fixed)
        let chunks = (matrix.rows + Self.chunk - 1) / Self.chunk
        let workers = max(1, min(threads, chunks))
        target.elements.withUnsafeMutableBufferPointer { out in
            fixed.elements.withUnsafeBufferPointer { y in
                gram.withUnsafeBufferPointer { g in
                    let shared = SharedBuffers(target: out.baseAddress!, fixed: y.baseAddress!, gram: g.baseAddress!)
                    let work: @Sendable (Int) -> Void = { w in
                        var scratch = Scratch(k: k)
                        for c in stride(from: w, to: chunks, by: workers) {
                            let rows = (c * Self.chunk)..<min((c + 1) * Self.chunk, matrix.rows)
                            switch configuration.solver {
                            case .cholesky:
                                for lo in stride(from: rows.lowerBound, to: rows.upperBound, by: SPDKernel.batchWidth) {
                                    solveExactly(lo..<min(lo + SPDKernel.batchWidth, rows.upperBound), matrix: matrix,
                                                 shared: shared, k: k, scratch: &scratch)
                                }
                            case .conjugateGradient(let steps):
                                for row in rows {
                                    solveByCG(matrix.rowPointers[row]..<matrix.rowPointers[row + 1], matrix: matrix,
                                              shared: shared, x: shared.target + row * k, k: k, steps: steps,
                                              scratch: &scratch)
                                }
                            }
                        }
                    }
                    if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
                }
            }
        }
    }

    /// `YᵀY`, full and symmetric, computed on one BLAS thread (multi-threaded kernels change the last bits).
    static func gram(_ y: Matrix<Float>) -> [Float] {
        BLASThreads.with(1) { y.gram().elements }
    }

    struct SharedBuffers: @unchecked Sendable {
        let target: UnsafeMutablePointer<Float>
        let fixed: UnsafePointer<Float>
        let gram: UnsafePointer<Float>
    }

    struct Scratch {
        var a: [Float], b: [Float], r: [Float], p: [Float], ap: [Float]
        var positive: [Float], negative: [Float]
        init(k: Int) {
            a = [Float](repeating: 0, count: SPDKernel.batchWidth * k * k)
            b = [Float](repeating: 0, count: SPDKernel.batchWidth * k)
            r = [Float](repeating: 0, count: k)
            p = r; ap = r
            positive = [Float](repeating: 0, count: RowSolver.gatherRows * k)
            negative = positive
        }
    }

    /// Cholesky for up to eight rows at once: each row's A = YᵀY + λI + Σ (c − 1)·y yᵀ (rank updates by `ssyrk` on
    /// gathered rows scaled by √|c − 1|) and b = Σ c·y, then one lane-parallel ``SPDKernel/solveBatch``. A row's
    /// result never depends on the other rows of its batch.
    func solveExactly(
        _ rows: Range<Int>, matrix: CSRMatrix<Float>, shared: SharedBuffers, k: Int, scratch s: inout Scratch
    ) {
        let lambda = configuration.regularization
        s.a.withUnsafeMutableBufferPointer { a in
            s.b.withUnsafeMutableBufferPointer { b in
                s.positive.withUnsafeMutableBufferPointer { pos in
                    s.negative.withUnsafeMutableBufferPointer { neg in
                        for (r, row) in rows.enumerated() {
                            let ar = a.baseAddress! + r * k * k, br = b.baseAddress! + r * k
                            ar.update(from: shared.gram, count: k * k)
                            for f in 0..<k { ar[f * k + f] += lambda }
                            br.update(repeating: 0, count: k)
                            var nPos = 0, nNeg = 0
                            func flush() {
                                if nPos > 0 { SPDKernel.addGram(pos.baseAddress!, rows: nPos, k: k, alpha: 1, into: ar) }
                                if nNeg > 0 { SPDKernel.addGram(neg.baseAddress!, rows: nNeg, k: k, alpha: -1, into: ar) }
                                nPos = 0
                                nNeg = 0
                            }
                            for p in matrix.rowPointers[row]..<matrix.rowPointers[row + 1] {
                                let y = shared.fixed + Int(matrix.columnIndices[p]) * k
                                let c = configuration.confidence(matrix.values[p])
                                VectorKernels.axpy(c, y, br, k)
                                let w = c - 1
                                if w > 0 {
                                    let scale = w.squareRoot()
                                    for f in 0..<k { pos[nPos * k + f] = scale * y[f] }
                                    nPos += 1
                                } else if w < 0 {
                                    let scale = (-w).squareRoot()
                                    for f in 0..<k { neg[nNeg * k + f] = scale * y[f] }
                                    nNeg += 1
                                }
                                if nPos == RowSolver.gatherRows || nNeg == RowSolver.gatherRows { flush() }
                            }
                            flush()
                        }
                        let solved = SPDKernel.solveBatch(a.baseAddress!, b.baseAddress!, n: k, count: rows.count)
                        for (r, row) in rows.enumerated() where solved & (1 << r) != 0 {
                            (shared.target + row * k).update(from: b.baseAddress! + r * k, count: k)
                        }
                    }
                }
            }
        }
    }

    /// A·v = YᵀY·v + λv + Σ (c − 1)(y·v)·y.
    @inline(__always)
    func multiply(
        _ v: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, entries: Range<Int>,
        matrix: CSRMatrix<Float>, shared: SharedBuffers, k: Int
    ) {
        VectorKernels.symmetricMultiply(shared.gram, v, into: out, n: k)
        VectorKernels.axpy(configuration.regularization, v, out, k)
        matrix.columnIndices.withUnsafeBufferPointer { columns in
            matrix.values.withUnsafeBufferPointer { values in
                for p in entries {
                    let y = shared.fixed + Int(columns[p]) * k
                    let w = configuration.confidence(values[p]) - 1
                    VectorKernels.axpy(w * VectorKernels.dot(y, v, k), y, out, k)
                }
            }
        }
    }

    /// Conjugate gradient from the current factors, `steps` iterations (implicit's update, Takács et al. 2011).
    func solveByCG(
        _ entries: Range<Int>, matrix: CSRMatrix<Float>, shared: SharedBuffers, x: UnsafeMutablePointer<Float>,
        k: Int, steps: Int, scratch s: inout Scratch
    ) {
        s.r.withUnsafeMutableBufferPointer { rb in
            s.p.withUnsafeMutableBufferPointer { pb in
                s.ap.withUnsafeMutableBufferPointer { apb in
                    let r = rb.baseAddress!, p = pb.baseAddress!, ap = apb.baseAddress!
                    // r = b − A·x = −(YᵀY + λI)·x + Σ (c − (c − 1)·(y·x))·y, one pass over the entries.
                    VectorKernels.symmetricMultiply(shared.gram, x, into: r, n: k)
                    for f in 0..<k { r[f] = -r[f] - configuration.regularization * x[f] }
                    matrix.columnIndices.withUnsafeBufferPointer { columns in
                        matrix.values.withUnsafeBufferPointer { values in
                            for q in entries {
                                let y = shared.fixed + Int(columns[q]) * k
                                let c = configuration.confidence(values[q])
                                VectorKernels.axpy(c - (c - 1) * VectorKernels.dot(y, x, k), y, r, k)
                            }
                        }
                    }
                    p.update(from: r, count: k)
                    var rs = VectorKernels.dot(r, r, k)
                    for _ in 0..<steps {
                        if rs < 1e-20 { break }
                        multiply(p, into: ap, entries: entries, matrix: matrix, shared: shared, k: k)
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
}
