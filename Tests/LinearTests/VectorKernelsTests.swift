import Dispatch
import TestSupport
import Testing
import Linear

@Suite struct VectorKernelsTests {
    @Test(arguments: [0, 1, 15, 16, 17, 31, 32, 64, 100])
    func kernelsMatchScalarLoops(n: Int) {
        let a = (0..<n).map { Float($0 % 7) - 3 }, b = (0..<n).map { Float($0 % 5) * 0.5 }
        let expected = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let dot = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in
            VectorKernels.dot(x.baseAddress!, y.baseAddress!, n) } }
        #expect(dot == expected)  // small integers and halves: exact in any order
        var y = b
        a.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { VectorKernels.axpy(2, x.baseAddress!, $0.baseAddress!, n) } }
        #expect(y == zip(a, b).map { 2 * $0 + $1 })
    }

    @Test func spdKernelSolves() {
        var a: [Float] = [4, 0, 2, 3]  // row-major lower triangle of [[4, 2], [2, 3]]
        var b: [Float] = [2, -1]
        let ok = a.withUnsafeMutableBufferPointer { ap in b.withUnsafeMutableBufferPointer {
            SPDKernel.solve(ap.baseAddress!, $0.baseAddress!, n: 2) } }
        #expect(ok && abs(b[0] - 1) < 1e-6 && abs(b[1] + 1) < 1e-6)
        var bad: [Float] = [1, 0, 2, 1]
        var rhs: [Float] = [1, 1]
        let refused = bad.withUnsafeMutableBufferPointer { ap in rhs.withUnsafeMutableBufferPointer {
            SPDKernel.solve(ap.baseAddress!, $0.baseAddress!, n: 2) } }
        #expect(!refused)
    }

    @Test("Eight SPD systems per call, one per SIMD lane, agree with LAPACK; a bad lane fails alone",
          arguments: [1, 3, 16, 64])
    func spdBatchMatchesLAPACK(n: Int) {
        var rng = TestLCG(seed: UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        func next() -> Float { Float(rng.next() >> 40) / Float(1 << 24) - 0.5 }
        for count in [1, 5, 8] {
            var a = [Float](repeating: 0, count: count * n * n), b = [Float](repeating: 0, count: count * n)
            for r in 0..<count {
                // A = GᵀG + 0.1 I with G (n + 2) × n.
                let g = (0..<((n + 2) * n)).map { _ in next() }
                for i in 0..<n {
                    for j in 0...i {
                        var v: Float = i == j ? 0.1 : 0
                        for q in 0..<(n + 2) { v += g[q * n + i] * g[q * n + j] }
                        a[r * n * n + i * n + j] = v
                    }
                    b[r * n + i] = next()
                }
            }
            if count == 5 { a[3 * n * n] = -1 }  // system 3 is not positive definite
            var reference = b, copy = a
            var expected: [Bool] = []
            for r in 0..<count {
                expected.append(copy.withUnsafeMutableBufferPointer { ap in reference.withUnsafeMutableBufferPointer {
                    SPDKernel.solve(ap.baseAddress! + r * n * n, $0.baseAddress! + r * n, n: n) } })
            }
            let original = b
            let solved = a.withUnsafeMutableBufferPointer { ap in b.withUnsafeMutableBufferPointer {
                SPDKernel.solveBatch(ap.baseAddress!, $0.baseAddress!, n: n, count: count) } }
            for r in 0..<count {
                #expect((solved & (1 << r) != 0) == expected[r], "system \(r)")
                for i in 0..<n {
                    let got = b[r * n + i], want = expected[r] ? reference[r * n + i] : original[r * n + i]
                    #expect(abs(got - want) <= 2e-3 * max(1, abs(want)), "system \(r), x[\(i)]: \(got) vs \(want)")
                }
            }
        }
    }

    /// The rule is applied by the first BLAS call and holds for the process: one OpenBLAS thread, also when
    /// callers on several threads use BLAS at once.
    @Test func blasRunsOnOneThreadAfterAnyCall() {
        let a = Matrix<Float>(rows: 2, columns: 2, elements: [2, 0, 0, 2])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in _ = a.gram() }
        #expect(BLASThreads.count == 1)
        BLASThreads.configure()
        #expect(BLASThreads.count == 1)
    }
}
