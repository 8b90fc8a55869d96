internal import CKernels

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Which compiled form of the numeric kernels (dot products, gathered-row products, the batched SPD solve,
/// scoring) this process runs.
///
/// On x86-64 the kernels are compiled twice, whatever the build's target CPU: for AVX2 + FMA, and for baseline
/// x86-64. The process picks the AVX2 + FMA form when its CPU has those instructions, so a plain
/// `swift build -c release` (or the package as a dependency) runs at full speed and never executes an
/// instruction its CPU lacks. `FAIRGROUND_KERNELS=baseline` in the environment forces the baseline form (for
/// comparison, or to rule the vector units out). The two forms agree up to float rounding; within one form,
/// results are the same on every call and thread count.
public enum KernelPath: String, Sendable, CaseIterable {
    /// AVX2 and fused multiply-adds, eight lanes (x86-64 CPUs since 2013).
    case avx2FMA = "avx2-fma"
    /// The build's own target: SSE2 on x86-64, NEON on arm64; separate multiplies and adds.
    case baseline

    /// The form this process runs: ``avx2FMA`` when the CPU supports it, unless `FAIRGROUND_KERNELS=baseline`.
    public static let active: KernelPath = {
        if let forced = getenv("FAIRGROUND_KERNELS"), String(cString: forced) == KernelPath.baseline.rawValue {
            return .baseline
        }
        return fairground_cpu_has_avx2_fma() != 0 ? .avx2FMA : .baseline
    }()

    /// The forms this CPU can run (``baseline`` always).
    public static var available: [KernelPath] {
        fairground_cpu_has_avx2_fma() != 0 ? [.avx2FMA, .baseline] : [.baseline]
    }

    /// The C kernels' selector.
    var selector: Int32 { self == .avx2FMA ? 1 : 0 }
}
