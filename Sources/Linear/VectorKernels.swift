/// Small single-precision vector kernels for the per-row loops of ALS and scoring.
///
/// Dot products and updates run on `SIMD16<Float>` lanes (a reduction in a different order from a strict
/// left-to-right sum, so results differ from it in the last bits but are the same on every call and thread).
public enum VectorKernels {
    /// `Σ a[i]·b[i]` for `i < n`.
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= n {
            let x0 = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            let y0 = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
            let x1 = UnsafeRawPointer(a + i + 16).loadUnaligned(as: SIMD16<Float>.self)
            let y1 = UnsafeRawPointer(b + i + 16).loadUnaligned(as: SIMD16<Float>.self)
            acc0 = acc0 + x0 * y0
            acc1 = acc1 + x1 * y1
            i += 32
        }
        while i + 16 <= n {
            acc0 = acc0 + UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        // Pairwise tree reduction (SIMD.sum() adds the lanes one by one).
        let v16 = acc0 + acc1
        let v8 = v16.lowHalf + v16.highHalf
        let v4 = v8.lowHalf + v8.highHalf
        let v2 = v4.lowHalf + v4.highHalf
        var s = v2[0] + v2[1]
        while i < n {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }

    /// `y[i] += alpha·x[i]` for `i < n`.
    @inlinable @inline(__always)
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = SIMD16<Float>(repeating: alpha)
        var i = 0
        while i + 16 <= n {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + a * xv, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }
}
