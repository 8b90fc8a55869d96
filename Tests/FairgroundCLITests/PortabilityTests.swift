import Foundation
import Testing

/// Issue 25, point 2: what stays byte-identical on another CPU, and what agrees only within float tolerance.
///
/// A generated world is Philox and Swift arithmetic, libm's `exp` and `log` — which glibc computes with a
/// different routine by CPU (SSE2, AVX, FMA) — and the correlation model's small LAPACK factorisations, whose
/// OpenBLAS kernels differ by CPU. `GLIBC_TUNABLES` and `OPENBLAS_CORETYPE` make this machine take each, and
/// `FAIRGROUND_KERNELS=baseline` makes it run Fairground's own kernels in their portable form. The world must not
/// change by a byte. A trained model may change in its last bits across kernel forms; its quality must not.
extension CommandLineTests {
    static let cpuVariants: [(name: String, environment: [String: String])] = [
        ("libm without FMA or AVX2", ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4"]),
        ("libm for SSE2 only", ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4,-AVX"]),
        ("baseline kernels", ["FAIRGROUND_KERNELS": "baseline"]),
        // The correlation model's small eigen and Cholesky factorisations go through LAPACK.
        ("OpenBLAS's Prescott kernels", ["OPENBLAS_CORETYPE": "Prescott"]),
    ] + (hasAVX ? [("OpenBLAS's Sandy Bridge kernels", ["OPENBLAS_CORETYPE": "SandyBridge"])] : [])

    /// Whether this CPU runs AVX (OpenBLAS's Sandy Bridge kernels need it).
    static var hasAVX: Bool {
        (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("flags") }?.split(separator: " ").contains("avx") ?? false
    }

    @Test func generatedWorldsAreTheSameBytesOnEveryCPUVariant() throws {
        let reference = scratch("portable-world")
        #expect(try fairground("generate", "credit-offers", "--users", "20000", "--out", reference, "-q").status == 0)
        for variant in Self.cpuVariants {
            let out = scratch("portable-world-\(variant.name.filter(\.isLetter))")
            let r = try fairground(["generate", "credit-offers", "--users", "20000", "--out", out, "-q"],
                                   environment: variant.environment)
            #expect(r.status == 0, "\(variant.name): \(r.stderr)")
            for file in ["population.csv", "interactions.csv", "interactions.mtx", "items.csv", "truth.csv",
                         "manifest.json"] {
                let a = FileManager.default.contents(atPath: reference + "/" + file)
                let b = FileManager.default.contents(atPath: out + "/" + file)
                #expect(a != nil && a == b, "\(variant.name): \(file) differs")
            }
        }
    }

    @Test func theBaselineKernelsTrainAModelOfTheSameQuality() throws {
        let world = scratch("portable-train"), files = scratch("portable-split")
        #expect(try fairground("generate", "credit-offers", "--users", "20000", "--out", world, "-q").status == 0)
        #expect(try fairground("split", world, "--holdout", "0.2", "--seed", "1", "--out", files).status == 0)
        func quality(_ environment: [String: String], _ name: String) throws -> [String: Double] {
            let model = scratch("portable-\(name).fgm")
            let t = try fairground(["train", files + "/train.mtx", "--out", model, "--factors", "32", "--iterations", "6",
                                    "--holdout", "0", "-q"], environment: environment)
            #expect(t.status == 0, "\(t.stderr)")
            let e = try fairground(["evaluate", model, "--train", files + "/train.mtx", "--test", files + "/test.mtx",
                                    "--json"], environment: environment)
            #expect(e.status == 0, "\(e.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any]
            let figures = json?["model"] as? [String: Any] ?? [:]
            return figures.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
        let fast = try quality([:], "default"), portable = try quality(["FAIRGROUND_KERNELS": "baseline"], "baseline")
        #expect(!fast.isEmpty && Set(fast.keys) == Set(portable.keys), "\(fast) \(portable)")
        // The same ALS from the same start, rounded differently: ranking figures agree to 0.5 percentage points.
        for key in ["precision", "ndcg", "implicit_precision"] {
            guard let a = fast[key], let b = portable[key] else { Issue.record("no \(key)"); continue }
            #expect(abs(a - b) <= 0.005, "\(key): \(a) with the AVX2 kernels, \(b) with the baseline ones")
        }
    }

    /// A misspelt `FAIRGROUND_KERNELS` would otherwise run the default form silently.
    @Test func aKernelFormNobodyHasIsRefused() throws {
        let r = try fairground(["generate", "credit-offers", "--users", "100", "--out", scratch("kernels-typo")],
                               environment: ["FAIRGROUND_KERNELS": "portable"])
        #expect(r.status == 2 && r.stderr.contains("FAIRGROUND_KERNELS: expected ")
                    && r.stderr.contains("baseline") && r.stderr.contains("found 'portable'"), "\(r.stderr)")
    }
}
