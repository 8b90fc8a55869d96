internal import CBLAS

/// The OpenBLAS kernel family this process runs. OpenBLAS picks it by CPU (or by `OPENBLAS_CORETYPE`), and it
/// decides the last bits of every Gram matrix and Cholesky factor: two machines that run the same family (and the
/// same ``KernelPath``) train byte-identical models.
public enum BLASKernel {
    /// OpenBLAS's name for its kernel family, e.g. `Haswell`, `SkylakeX`, `Zen`, `Sandybridge`.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}
