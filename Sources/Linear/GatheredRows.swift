internal import CKernels

/// Products with a subset of a row-major matrix's rows, named by index: the inner loops of a sparse row's
/// weighted least-squares problem, `Yᵀ W Y v`, without copying the rows.
///
/// ``normalProduct(scale:_:matrix:_:rows:indices:count:offsets:weights:weightScale:with:k:into:)`` — one
/// conjugate-gradient product — reads every indexed row once, forming its dot product and adding its multiple
/// while it is in registers (up to 64 factors; the output accumulators stay in registers for the whole list).
/// Results are the same on every call and thread; they differ from a strict left-to-right sum in the last bits
/// (lane-wise order, and fused multiply-adds in the AVX2 + FMA form). The kernel is C, compiled for both forms
/// (``KernelPath``); it is called once per product, so the call costs nothing measurable.
public enum GatheredRows {
    /// Starts loading every cache line of the indexed rows into L2, so that a later pass over them finds them
    /// close (a hint: never changes a result). Issue it a row or two ahead of the work on the rows.
    public static func prefetch(_ base: UnsafePointer<Float>, indices: UnsafePointer<Int32>, count: Int, k: Int) {
        let bytes = k * MemoryLayout<Float>.stride
        for j in 0..<count {
            let row = UnsafeRawPointer(base + Int(indices[j]) &* k)
            var offset = 0
            while offset < bytes {
                fairground_prefetch(row + offset)
                offset += 64
            }
            fairground_prefetch(row + bytes - 1)
        }
    }

    /// `out[f] = scale·u[f] + Σ_{b < k} dense[b]·m[b·k + f] + Σ_{j < count} c_j·base[indices[j]·k + f]` with
    /// `c_j = offsets[j] + weightScale·weights[j]·(base[indices[j]·k ..< +k] · v)`: a product with the normal
    /// equations of a weighted least-squares row (`(YᵀY + λI)·v + Σ w_j (y_j·v) y_j`, and its residual with
    /// `offsets`), in one pass over the indexed rows — each is read once for its dot product and its update.
    /// `offsets` may be `nil` (zero); `out` may not overlap the inputs.
    public static func normalProduct(
        scale: Float, _ u: UnsafePointer<Float>, matrix m: UnsafePointer<Float>, _ dense: UnsafePointer<Float>,
        rows base: UnsafePointer<Float>, indices: UnsafePointer<Int32>, count: Int,
        offsets: UnsafePointer<Float>?, weights: UnsafePointer<Float>, weightScale: Float,
        with v: UnsafePointer<Float>, k: Int, into out: UnsafeMutablePointer<Float>
    ) {
        normalProduct(scale: scale, u, matrix: m, dense, rows: base, indices: indices, count: count, offsets: offsets,
                      weights: weights, weightScale: weightScale, with: v, k: k, into: out, path: .active)
    }

    /// ``normalProduct(scale:_:matrix:_:rows:indices:count:offsets:weights:weightScale:with:k:into:)`` in the
    /// given form.
    static func normalProduct(
        scale: Float, _ u: UnsafePointer<Float>, matrix m: UnsafePointer<Float>, _ dense: UnsafePointer<Float>,
        rows base: UnsafePointer<Float>, indices: UnsafePointer<Int32>, count: Int,
        offsets: UnsafePointer<Float>?, weights: UnsafePointer<Float>, weightScale: Float,
        with v: UnsafePointer<Float>, k: Int, into out: UnsafeMutablePointer<Float>, path: KernelPath
    ) {
        fairground_normal_product(path.selector, scale, u, m, dense, base, indices, count, offsets, weights,
                                  weightScale, v, k, out)
    }
}
