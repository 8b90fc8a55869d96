internal import CKernels

/// Small single-precision vector kernels for the per-row loops of ALS and scoring.
///
/// Dot products sum in eight lanes and then pairwise (a different order from a strict left-to-right sum, so
/// results differ from it in the last bits but are the same on every call and thread). They run in the form
/// ``KernelPath/active`` names.
public enum VectorKernels {
    /// `Σ a[i]·b[i]` for `i < n`.
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        dot(a, b, n, path: .active)
    }

    /// `Σ a[i]·b[i]` for `i < n`, in the given form.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int, path: KernelPath) -> Float {
        fairground_dot(path.selector, a, b, n)
    }

    /// `y[i] += alpha·x[i]` for `i < n`.
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        axpy(alpha, x, y, n, path: .active)
    }

    /// `y[i] += alpha·x[i]` for `i < n`, in the given form.
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                     path: KernelPath) {
        fairground_axpy(path.selector, alpha, x, y, n)
    }
}
