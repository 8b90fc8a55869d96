import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
@testable import Linear

/// The kernels' two compiled forms (AVX2 + FMA, baseline x86-64) against a double-precision reference and
/// against each other, on random inputs; and the scoring kernel's promise that a score does not depend on its
/// position in the block.
@Suite struct KernelPathTests {
    /// Relative tolerance of a single-precision chain of `n` multiply-adds against the exact value, scaled by
    /// `Σ|aᵢ·bᵢ|` (the condition of the sum): n·ε with ε = 2⁻²⁴, doubled for slack.
    static func tolerance(_ n: Int, magnitude: Double) -> Double { 2 * Double(max(n, 1)) * 0x1p-24 * magnitude + 1e-30 }

    static func random(_ count: Int, _ rng: inout TestLCG) -> [Float] {
        (0..<count).map { _ in Float(Double(rng.next() >> 11) / Double(1 << 53) * 2 - 1) }
    }

    @Test("The process runs the AVX2 + FMA form when the CPU has it, unless FAIRGROUND_KERNELS=baseline")
    func activePathIsTheBestAvailable() {
        #expect(KernelPath.available.contains(.baseline))
        #expect(KernelPath.available.contains(KernelPath.active))
        let forced = getenv("FAIRGROUND_KERNELS").map { String(cString: $0) } == "baseline"
        #expect(KernelPath.active == (forced ? .baseline : KernelPath.available[0]))
    }

    /// Says, in the test log, which kernels this run exercised (CI runs the figure-quoting tests under several),
    /// and checks that a core type asked for through `OPENBLAS_CORETYPE` is the one OpenBLAS runs.
    @Test("OpenBLAS runs the kernel family OPENBLAS_CORETYPE asks for")
    func openBLASCoreIsTheOneAskedFor() {
        let asked = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        print("kernels: Fairground \(KernelPath.active.rawValue), OpenBLAS \(BLASKernel.coreName)"
              + (asked.map { " (OPENBLAS_CORETYPE=\($0))" } ?? ""))
        if let asked, !asked.isEmpty {
            #expect(BLASKernel.coreName.lowercased() == asked.lowercased())
        }
    }

    @Test("Dot products and updates agree with a double-precision sum in every form", arguments: [1, 7, 8, 31, 48, 64, 100])
    func dotAndAxpy(n: Int) {
        var rng = TestLCG(seed: UInt64(n))
        let a = Self.random(n, &rng), b = Self.random(n, &rng)
        let exact = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let magnitude = zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
        var results: [Float] = []
        for path in KernelPath.available {
            let dot = VectorKernels.dot(a, b, n, path: path)
            #expect(abs(Double(dot) - exact) <= Self.tolerance(n, magnitude: magnitude), "\(path) dot")
            var y = b
            y.withUnsafeMutableBufferPointer { VectorKernels.axpy(0.75, a, $0.baseAddress!, n, path: path) }
            for i in 0..<n {
                let want = 0.75 * Double(a[i]) + Double(b[i])
                #expect(abs(Double(y[i]) - want) <= 2 * 0x1p-24 * (abs(want) + 1), "\(path) axpy \(i)")
            }
            results.append(dot)
        }
        // The forms differ by rounding only.
        if results.count == 2 { #expect(abs(Double(results[0] - results[1])) <= 2 * Self.tolerance(n, magnitude: magnitude)) }
    }

    @Test("The one-pass normal-equations product agrees with double precision in every form",
          arguments: [5, 8, 16, 24, 48, 64, 70])
    func normalProduct(k: Int) {
        for count in [0, 3, 13] { normalProduct(k: k, count: count) }
    }

    func normalProduct(k: Int, count: Int) {
        var rng = TestLCG(seed: UInt64(150 + k))
        let rows = 30
        let base = Self.random(rows * k, &rng), v = Self.random(k, &rng), u = Self.random(k, &rng)
        let dense = Self.random(k, &rng), m = Self.random(k * k, &rng)
        let weights = Self.random(count, &rng), offsets = Self.random(count, &rng)
        let indices = (0..<count).map { Int32(($0 * 11 + 5) % rows) }
        for path in KernelPath.available {
            for withOffsets in [false, true] {
                var out = [Float](repeating: .nan, count: k)
                offsets.withUnsafeBufferPointer { o in
                    out.withUnsafeMutableBufferPointer { result in
                        GatheredRows.normalProduct(scale: -0.25, u, matrix: m, dense, rows: base, indices: indices,
                                                   count: count, offsets: withOffsets ? o.baseAddress! : nil,
                                                   weights: weights, weightScale: -1, with: v, k: k,
                                                   into: result.baseAddress!, path: path)
                    }
                }
                for f in 0..<k {
                    var exact = -0.25 * Double(u[f]), magnitude = abs(exact)
                    for b in 0..<k {
                        let t = Double(dense[b]) * Double(m[b * k + f])
                        exact += t
                        magnitude += abs(t)
                    }
                    for j in 0..<count {
                        let row = Int(indices[j]) * k
                        let dot = (0..<k).reduce(0.0) { $0 + Double(base[row + $1]) * Double(v[$1]) }
                        let dotMagnitude = (0..<k).reduce(0.0) { $0 + abs(Double(base[row + $1]) * Double(v[$1])) }
                        let c = (withOffsets ? Double(offsets[j]) : 0) - Double(weights[j]) * dot
                        exact += c * Double(base[row + f])
                        magnitude += (abs(c) + abs(Double(weights[j])) * dotMagnitude) * abs(Double(base[row + f]))
                    }
                    #expect(abs(Double(out[f]) - exact) <= Self.tolerance(2 * k + count + 1, magnitude: magnitude),
                            "\(path), offsets \(withOffsets), out[\(f)]: \(out[f]) vs \(exact)")
                }
            }
        }
    }

    @Test("The batched SPD solve gives the same solutions in both forms, within float tolerance", arguments: [3, 16, 64])
    func spdBatchAcrossForms(n: Int) {
        for count in [1, 5, 8] { spdBatchAcrossForms(n: n, count: count) }
    }

    func spdBatchAcrossForms(n: Int, count: Int) {
        var rng = TestLCG(seed: UInt64(200 + n))
        var a = [Float](repeating: 0, count: count * n * n), b = Self.random(count * n, &rng)
        for r in 0..<count {
            let g = Self.random((n + 2) * n, &rng)
            for i in 0..<n {
                for j in 0...i {
                    var v: Float = i == j ? 0.5 : 0
                    for q in 0..<(n + 2) { v += g[q * n + i] * g[q * n + j] }
                    a[r * n * n + i * n + j] = v
                }
            }
        }
        var solutions: [[Float]] = []
        for path in KernelPath.available {
            var aa = a, bb = b
            let solved = aa.withUnsafeMutableBufferPointer { ap in bb.withUnsafeMutableBufferPointer {
                SPDKernel.solveBatch(ap.baseAddress!, $0.baseAddress!, n: n, count: count, path: path) } }
            #expect(solved == UInt8((1 << count) - 1), "\(path)")
            // The residual A·x − b is small against ‖A‖·‖x‖.
            for r in 0..<count {
                for i in 0..<n {
                    var ax = 0.0, scale = 0.0
                    for j in 0..<n {
                        let aij = Double(j <= i ? a[r * n * n + i * n + j] : a[r * n * n + j * n + i])
                        ax += aij * Double(bb[r * n + j])
                        scale += abs(aij * Double(bb[r * n + j]))
                    }
                    #expect(abs(ax - Double(b[r * n + i])) <= 1e-4 * (scale + 1), "\(path) system \(r) row \(i)")
                }
            }
            solutions.append(bb)
        }
        if solutions.count == 2 {
            for (x, y) in zip(solutions[0], solutions[1]) { #expect(abs(x - y) <= 1e-3 * max(1, abs(x))) }
        }
    }

    @Test("A score is the same in every block position and block size, within each form",
          arguments: [1, 5, 16, 48, 64])
    func scoresDoNotDependOnPosition(k: Int) {
        var rng = TestLCG(seed: UInt64(300 + k))
        let users = 23, items = 37
        let x = Self.random(users * k, &rng), y = Self.random(items * k, &rng)
        for path in KernelPath.available {
            var all = [Float](repeating: .nan, count: users * items)
            all.withUnsafeMutableBufferPointer { o in
                ScoreKernel.scores(x, rows: users, y, items: items, k: k, into: o.baseAddress!, ldc: items, path: path)
            }
            for u in 0..<users {
                for i in 0..<items {
                    let exact = (0..<k).reduce(0.0) { $0 + Double(x[u * k + $1]) * Double(y[i * k + $1]) }
                    let magnitude = (0..<k).reduce(0.0) { $0 + abs(Double(x[u * k + $1]) * Double(y[i * k + $1])) }
                    #expect(abs(Double(all[u * items + i]) - exact) <= Self.tolerance(k, magnitude: magnitude))
                }
            }
            // One score alone is the same bits as in the block.
            for (u, i) in [(0, 0), (5, 36), (22, 17)] {
                let one = x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in
                    ScoreKernel.score(xp.baseAddress! + u * k, yp.baseAddress! + i * k, k: k, path: path) } }
                #expect(one.bitPattern == all[u * items + i].bitPattern, "\(path) single score \(u), \(i)")
            }
            // Every sub-block (any first user, any number of users, any first item) gives the same bits.
            for (first, count, firstItem) in [(0, 1, 0), (5, 7, 3), (17, 6, 20), (22, 1, 36), (3, 20, 1)] {
                let width = items - firstItem
                var part = [Float](repeating: .nan, count: count * width)
                x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in
                    part.withUnsafeMutableBufferPointer { o in
                        ScoreKernel.scores(xp.baseAddress! + first * k, rows: count, yp.baseAddress! + firstItem * k,
                                           items: width, k: k, into: o.baseAddress!, ldc: width, path: path)
                    } } }
                for r in 0..<count {
                    for i in 0..<width {
                        #expect(part[r * width + i].bitPattern == all[(first + r) * items + firstItem + i].bitPattern,
                                "\(path) user \(first + r) item \(firstItem + i)")
                    }
                }
            }
        }
    }
}
