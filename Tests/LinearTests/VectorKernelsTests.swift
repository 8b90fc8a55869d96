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

    @Test func symmetricMultiplyMatchesGemm() {
        let n = 20
        var m = Matrix<Float>(rows: n, columns: n)
        for i in 0..<n { for j in 0...i { let v = Float((i * 3 + j) % 9) - 4; m[i, j] = v; m[j, i] = v } }
        let x = (0..<n).map { Float($0 % 4) - 1 }
        var y = [Float](repeating: .nan, count: n)
        m.elements.withUnsafeBufferPointer { a in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer {
            VectorKernels.symmetricMultiply(a.baseAddress!, xp.baseAddress!, into: $0.baseAddress!, n: n) } } }
        #expect(y == m.multiplied(by: Matrix(rows: n, columns: 1, elements: x)).elements)
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

    @Test func blasThreadsAreRestored() {
        let before = BLASThreads.count
        let inside = BLASThreads.with(1) { BLASThreads.count }
        #expect(inside == 1 && BLASThreads.count == before)
    }
}
