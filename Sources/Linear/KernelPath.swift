internal import CKernels
public import FileSupport

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

    /// The form this process runs: the one `FAIRGROUND_KERNELS` names when this CPU can run it, otherwise
    /// ``avx2FMA`` when the CPU supports it and ``baseline`` when not. ``checkEnvironment()`` refuses a value it
    /// would not honour.
    public static let active: KernelPath = {
        if let requested, available.contains(requested) { return requested }
        return available[0]
    }()

    /// The form `FAIRGROUND_KERNELS` asks for, when it is set to one.
    static var requested: KernelPath? {
        getenv("FAIRGROUND_KERNELS").flatMap { KernelPath(rawValue: String(cString: $0)) }
    }

    /// Refuses a `FAIRGROUND_KERNELS` that names no form (a typo would otherwise run the default silently) or one
    /// this CPU cannot run.
    ///
    /// - Throws: ``FileSupport/FairgroundError`` located at the environment variable, with the forms it takes.
    public static func checkEnvironment() throws(FairgroundError) {
        guard let value = getenv("FAIRGROUND_KERNELS").map({ String(cString: $0) }), !value.isEmpty else { return }
        let forms = available.map(\.rawValue).joined(separator: " or ")
        guard let form = KernelPath(rawValue: value), available.contains(form) else {
            throw FairgroundError(file: "environment", field: "FAIRGROUND_KERNELS",
                                  expected: "\(forms) (the kernel forms this CPU runs), or unset", found: value)
        }
    }

    /// The forms this CPU can run (``baseline`` always).
    public static var available: [KernelPath] {
        fairground_cpu_has_avx2_fma() != 0 ? [.avx2FMA, .baseline] : [.baseline]
    }

    /// The C kernels' selector.
    var selector: Int32 { self == .avx2FMA ? 1 : 0 }
}
