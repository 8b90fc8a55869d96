import CPrefetch

/// Products with a subset of a row-major matrix's rows, named by index: the inner loops of a sparse row's
/// weighted least-squares problem, `Yᵀ W Y v`, without copying the rows.
///
/// ``dots(_:indices:count:with:k:into:)`` takes four rows at a time against one load of the vector;
/// ``combine(scale:_:matrix:_:rows:indices:count:_:k:into:)`` holds 64 output columns in registers (four
/// `SIMD16<Float>` accumulators) and streams the rows through them. Every row is read once per call. Results are
/// the same on every call and thread; they differ from a strict left-to-right sum in the last bits (fused
/// multiply-adds, lane-wise order).
///
/// The entry points are not `@inlinable` on purpose: their fused multiply-adds compile to FMA instructions only
/// in this module's (release, x86-64) build for Haswell, and would become one libm `fmaf` call per lane if
/// inlined into a module built without it. They are called once per row, so the call costs nothing measurable.
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
        let full = k & ~15
        var j = 0
        while j + 4 <= count {
            let r0 = base + Int(indices[j]) &* k, r1 = base + Int(indices[j + 1]) &* k
            let r2 = base + Int(indices[j + 2]) &* k, r3 = base + Int(indices[j + 3]) &* k
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            var f = 0
            while f < full {
                let x = load(v + f)
                a0 = a0.addingProduct(load(r0 + f), x)
                a1 = a1.addingProduct(load(r1 + f), x)
                a2 = a2.addingProduct(load(r2 + f), x)
                a3 = a3.addingProduct(load(r3 + f), x)
                f += 16
            }
            var s0 = sum(a0), s1 = sum(a1), s2 = sum(a2), s3 = sum(a3)
            while f < k {
                s0 += r0[f] * v[f]; s1 += r1[f] * v[f]; s2 += r2[f] * v[f]; s3 += r3[f] * v[f]
                f += 1
            }
            out[j] = s0; out[j + 1] = s1; out[j + 2] = s2; out[j + 3] = s3
            j += 4
        }
        while j < count {
            let r = base + Int(indices[j]) &* k
            var a = SIMD16<Float>()
            var f = 0
            while f < full {
                a = a.addingProduct(load(r + f), load(v + f))
                f += 16
            }
            var s = sum(a)
            while f < k {
                s += r[f] * v[f]
                f += 1
            }
            out[j] = s
            j += 1
        }
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
        let s = SIMD16<Float>(repeating: scale)
        var c = 0
        while c + 64 <= k {
            var a0 = s * load(u + c), a1 = s * load(u + c + 16), a2 = s * load(u + c + 32), a3 = s * load(u + c + 48)
            for b in 0..<k {
                let t = SIMD16<Float>(repeating: dense[b]), row = m + (b &* k &+ c)
                a0 = a0.addingProduct(t, load(row)); a1 = a1.addingProduct(t, load(row + 16))
                a2 = a2.addingProduct(t, load(row + 32)); a3 = a3.addingProduct(t, load(row + 48))
            }
            for j in 0..<count {
                let t = SIMD16<Float>(repeating: sparse[j]), row = base + Int(indices[j]) &* k + c
                a0 = a0.addingProduct(t, load(row)); a1 = a1.addingProduct(t, load(row + 16))
                a2 = a2.addingProduct(t, load(row + 32)); a3 = a3.addingProduct(t, load(row + 48))
            }
            store(a0, out + c); store(a1, out + c + 16); store(a2, out + c + 32); store(a3, out + c + 48)
            c += 64
        }
        while c + 16 <= k {
            var a = s * load(u + c)
            for b in 0..<k { a = a.addingProduct(SIMD16(repeating: dense[b]), load(m + (b &* k &+ c))) }
            for j in 0..<count {
                a = a.addingProduct(SIMD16(repeating: sparse[j]), load(base + Int(indices[j]) &* k + c))
            }
            store(a, out + c)
            c += 16
        }
        while c < k {
            var a = scale * u[c]
            for b in 0..<k { a = a.addingProduct(dense[b], m[b &* k &+ c]) }
            for j in 0..<count { a = a.addingProduct(sparse[j], base[Int(indices[j]) &* k &+ c]) }
            out[c] = a
            c += 1
        }
    }

    @inlinable @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inlinable @inline(__always)
    static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// Pairwise lane sum.
    @inlinable @inline(__always)
    static func sum(_ v: SIMD16<Float>) -> Float {
        let v8 = v.lowHalf + v.highHalf
        let v4 = v8.lowHalf + v8.highHalf
        let v2 = v4.lowHalf + v4.highHalf
        return v2[0] + v2[1]
    }
}
