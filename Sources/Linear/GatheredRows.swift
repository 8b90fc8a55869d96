internal import CKernels

/// Products with a subset of a row-major matrix's rows, named by index: the inner loops of a sparse row's
/// weighted least-squares problem, `Yᵀ W Y v`, without copying the rows.
///
/// ``dots(_:indices:count:with:k:into:)`` takes four rows at a time against one load of the vector;
/// ``combine(scale:_:matrix:_:rows:indices:count:_:k:into:)`` holds 64 output columns in eight vector
/// registers and streams the rows through them. Every row is read once per call. Results are the same on every
/// call and thread; they differ from a strict left-to-right sum in the last bits (lane-wise order, and fused
/// multiply-adds in the AVX2 + FMA form). The kernels are C, compiled for both forms (``KernelPath``); they are
/// called once per row, so the call costs nothing measurable.
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

    /// `out[j] = Σ_f base[indices[j]·k + f]·v[f]` for `j < count`: the dot products of the indexed rows with `v`.
    public static func dots(
        _ base: UnsafePointer<Float>, indices: UnsafePointer<Int32>, count: Int, with v: UnsafePointer<Float>,
        k: Int, into out: UnsafeMutablePointer<Float>
    ) {
        dots(base, indices: indices, count: count, with: v, k: k, into: out, path: .active)
    }

    /// ``dots(_:indices:count:with:k:into:)`` in the given form.
    static func dots(
        _ base: UnsafePointer<Float>, indices: UnsafePointer<Int32>, count: Int, with v: UnsafePointer<Float>,
        k: Int, into out: UnsafeMutablePointer<Float>, path: KernelPath
    ) {
        fairground_gathered_dots(path.selector, base, indices, count, v, k, out)
    }

    /// `out[f] = scale·u[f] + Σ_{b < k} dense[b]·m[b·k + f] + Σ_{j < count} sparse[j]·base[indices[j]·k + f]`:
    /// a scaled vector, plus a k × k matrix `m` times `dense` (`mᵀ·dense`, which is `m·dense` for a symmetric
    /// `m`), plus the indexed rows of `base` weighted by `sparse`. `out` may not overlap the inputs.
    public static func combine(
        scale: Float, _ u: UnsafePointer<Float>,
        matrix m: UnsafePointer<Float>, _ dense: UnsafePointer<Float>,
        rows base: UnsafePointer<Float>, indices: UnsafePointer<Int32>, count: Int, _ sparse: UnsafePointer<Float>,
        k: Int, into out: UnsafeMutablePointer<Float>
    ) {
        combine(scale: scale, u, matrix: m, dense, rows: base, indices: indices, count: count, sparse, k: k,
                into: out, path: .active)
    }

    /// ``combine(scale:_:matrix:_:rows:indices:count:_:k:into:)`` in the given form.
    static func combine(
        scale: Float, _ u: UnsafePointer<Float>,
        matrix m: UnsafePointer<Float>, _ dense: UnsafePointer<Float>,
        rows base: UnsafePointer<Float>, indices: UnsafePointer<Int32>, count: Int, _ sparse: UnsafePointer<Float>,
        k: Int, into out: UnsafeMutablePointer<Float>, path: KernelPath
    ) {
        fairground_gathered_combine(path.selector, scale, u, m, dense, base, indices, count, sparse, k, out)
    }
}
