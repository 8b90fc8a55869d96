internal import CBLAS

/// A floating-point type that OpenBLAS and LAPACKE compute with: `Float` (s-routines) or `Double` (d-routines).
///
/// The underscored requirements are thin, unchecked entry points used by ``Matrix`` and the factorisations;
/// call those instead.
public protocol BLASScalar: BinaryFloatingPoint, Sendable, Codable where Self.RawSignificand: FixedWidthInteger {
    /// Row-major `C = alpha·op(A)·op(B) + beta·C`.
    static func _gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Row-major lower-triangle `C = alpha·op(A)·op(A)ᵀ + beta·C`, where `op(A)` is n×k.
    static func _syrk(
        trans: Bool, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Row-major lower Cholesky factorisation in place; returns LAPACK's `info`.
    static func _potrf(n: Int, a: UnsafeMutablePointer<Self>, lda: Int) -> Int
    /// Row-major solve with a lower Cholesky factor; returns LAPACK's `info`.
    static func _potrs(
        n: Int, nrhs: Int, a: UnsafePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>, ldb: Int) -> Int
    /// Row-major symmetric eigen-decomposition (lower triangle, with vectors); returns LAPACK's `info`.
    static func _syevd(n: Int, a: UnsafeMutablePointer<Self>, lda: Int, w: UnsafeMutablePointer<Self>) -> Int
    /// Row-major eigenpairs of a symmetric matrix (lower triangle, destroyed) whose eigenvalues lie in (`low`,
    /// `high`]: their count goes to `found`, the values to `w`, the vectors to the columns of `z` (n × `ldz`);
    /// returns LAPACK's `info` (`syevr`, MRRR).
    static func _syevr(n: Int, a: UnsafeMutablePointer<Self>, lda: Int, low: Self, high: Self,
                       found: UnsafeMutablePointer<Int32>, w: UnsafeMutablePointer<Self>, z: UnsafeMutablePointer<Self>,
                       ldz: Int, support: UnsafeMutablePointer<Int32>) -> Int
}

private let valueRange = Int8(UInt8(ascii: "V"))

private let lower = Int8(UInt8(ascii: "L"))
private let vectors = Int8(UInt8(ascii: "V"))

extension Float: BLASScalar {
    public static func _gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLASThreads.configure()
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func _syrk(
        trans: Bool, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLASThreads.configure()
        cblas_ssyrk(
            CblasRowMajor, CblasLower, trans ? CblasTrans : CblasNoTrans,
            blasint(n), blasint(k), alpha, a, blasint(lda), beta, c, blasint(ldc))
    }

    public static func _potrf(n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int {
        BLASThreads.configure()
        return Int(LAPACKE_spotrf(LAPACK_ROW_MAJOR, lower, Int32(n), a, Int32(lda)))
    }

    public static func _potrs(
        n: Int, nrhs: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>, ldb: Int
    ) -> Int {
        BLASThreads.configure()
        return Int(LAPACKE_spotrs(
            LAPACK_ROW_MAJOR, lower, Int32(n), Int32(nrhs), a, Int32(lda), b, Int32(ldb)))
    }

    public static func _syevd(n: Int, a: UnsafeMutablePointer<Float>, lda: Int, w: UnsafeMutablePointer<Float>) -> Int {
        BLASThreads.configure()
        return Int(LAPACKE_ssyevd(LAPACK_ROW_MAJOR, vectors, lower, Int32(n), a, Int32(lda), w))
    }

    public static func _syevr(n: Int, a: UnsafeMutablePointer<Float>, lda: Int, low: Float, high: Float,
                              found: UnsafeMutablePointer<Int32>, w: UnsafeMutablePointer<Float>,
                              z: UnsafeMutablePointer<Float>, ldz: Int, support: UnsafeMutablePointer<Int32>) -> Int {
        BLASThreads.configure()
        return Int(LAPACKE_ssyevr(LAPACK_ROW_MAJOR, vectors, valueRange, lower, Int32(n), a, Int32(lda), low, high, 0, 0,
                                  0, found, w, z, Int32(ldz), support))
    }
}

extension Double: BLASScalar {
    public static func _gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        BLASThreads.configure()
        cblas_dgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func _syrk(
        trans: Bool, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        BLASThreads.configure()
        cblas_dsyrk(
            CblasRowMajor, CblasLower, trans ? CblasTrans : CblasNoTrans,
            blasint(n), blasint(k), alpha, a, blasint(lda), beta, c, blasint(ldc))
    }

    public static func _potrf(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int {
        BLASThreads.configure()
        return Int(LAPACKE_dpotrf(LAPACK_ROW_MAJOR, lower, Int32(n), a, Int32(lda)))
    }

    public static func _potrs(
        n: Int, nrhs: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafeMutablePointer<Double>, ldb: Int
    ) -> Int {
        BLASThreads.configure()
        return Int(LAPACKE_dpotrs(
            LAPACK_ROW_MAJOR, lower, Int32(n), Int32(nrhs), a, Int32(lda), b, Int32(ldb)))
    }

    public static func _syevd(n: Int, a: UnsafeMutablePointer<Double>, lda: Int, w: UnsafeMutablePointer<Double>) -> Int {
        BLASThreads.configure()
        return Int(LAPACKE_dsyevd(LAPACK_ROW_MAJOR, vectors, lower, Int32(n), a, Int32(lda), w))
    }

    public static func _syevr(n: Int, a: UnsafeMutablePointer<Double>, lda: Int, low: Double, high: Double,
                              found: UnsafeMutablePointer<Int32>, w: UnsafeMutablePointer<Double>,
                              z: UnsafeMutablePointer<Double>, ldz: Int, support: UnsafeMutablePointer<Int32>) -> Int {
        BLASThreads.configure()
        return Int(LAPACKE_dsyevr(LAPACK_ROW_MAJOR, vectors, valueRange, lower, Int32(n), a, Int32(lda), low, high, 0, 0,
                                  0, found, w, z, Int32(ldz), support))
    }
}
