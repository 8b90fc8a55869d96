import Testing
import FileSupport
import Linear

@Suite struct MatrixTests {
    @Test func productMatchesHandComputation() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        let b = Matrix<Double>([[7, 8], [9, 10], [11, 12]])
        #expect(a.multiplied(by: b) == Matrix([[58, 64], [139, 154]]))
        #expect(a.multiplied(by: a, transposeOther: true) == Matrix([[14, 32], [32, 77]]))
        #expect(a.multiplied(by: a, transposeSelf: true) == Matrix([[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
        #expect(a.multiplied(by: b, alpha: 2)[1, 1] == 308)
    }

    @Test func floatProductMatchesDouble() {
        let a = Matrix<Float>([[1, 2], [3, 4]])
        #expect(a.multiplied(by: a) == Matrix([[7, 10], [15, 22]]))
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let a = Matrix<Double>(rows: 2, columns: 0)
        let b = Matrix<Double>(rows: 0, columns: 3)
        #expect(a.multiplied(by: b) == Matrix(rows: 2, columns: 3))
    }

    @Test func gramIsSymmetricAndMatchesGemm() {
        let y = Matrix<Float>([[1, 2, 0], [0, 1, 3], [2, 2, 2], [1, 0, 1]])
        let g = y.gram()
        #expect(g == y.multiplied(by: y, transposeSelf: true))
        #expect(g == g.transposed)
    }

    @Test func transposeAndIdentity() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        #expect(a.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(a.transposed.transposed == a)
        #expect(Matrix<Double>.identity(3).multiplied(by: a.transposed) == a.transposed)
    }
}

@Suite struct FactorisationTests {
    @Test func choleskyKnownAnswer() throws {
        let chol = try Cholesky(Matrix<Double>([[4, 2], [2, 3]]))
        #expect(chol.factor[0, 0] == 2)
        #expect(chol.factor[1, 0] == 1)
        #expect(abs(chol.factor[1, 1] - 2.0.squareRoot()) < 1e-15)
        #expect(chol.factor[0, 1] == 0)
        // A x = b with x = (1, -1): b = (2, -1).
        let x = chol.solve([2, -1])
        #expect(abs(x[0] - 1) < 1e-14 && abs(x[1] + 1) < 1e-14)
    }

    @Test func choleskySolvesSeveralRightHandSidesInFloat() throws {
        let a = Matrix<Float>([[6, 2, 1], [2, 5, 2], [1, 2, 4]])
        let b = Matrix<Float>([[1, 0], [0, 1], [0, 0]])
        let x = try Cholesky(a).solve(b)
        let back = a.multiplied(by: x)
        for (u, v) in zip(back.elements, b.elements) { #expect(abs(u - v) < 1e-5) }
    }

    @Test func choleskyRefusesIndefiniteAndNaN() {
        #expect(throws: FairgroundError.notPositiveDefinite(order: 2)) {
            try Cholesky(Matrix<Double>([[1, 2], [2, 1]]))
        }
        #expect { try Cholesky(Matrix<Double>([[1, .nan], [.nan, 1]])) } throws: { error in
            (error as? FairgroundError)?.kind == .numerical && (error as? FairgroundError)?.source == "potrf"
        }
        let message = FairgroundError.notPositiveDefinite(order: 2).description
        #expect(message == "parameter potrf: expected a positive definite matrix, found 'its leading minor of order 2 is not positive'")
    }

    @Test func symmetricEigenKnownAnswer() throws {
        let e = try SymmetricEigen(Matrix<Double>([[2, 1], [1, 2]]))
        #expect(abs(e.values[0] - 1) < 1e-14 && abs(e.values[1] - 3) < 1e-14)
        let rebuilt = e.reconstructed { $0 }
        #expect(abs(rebuilt[0, 1] - 1) < 1e-14 && abs(rebuilt[1, 1] - 2) < 1e-14)
        // Clipping the spectrum: [[1, 2], [2, 1]] has eigenvalues −1 and 3.
        let clipped = try SymmetricEigen(Matrix<Double>([[1, 2], [2, 1]])).reconstructed { max($0, 0) }
        #expect(abs(clipped[0, 0] - 1.5) < 1e-14 && abs(clipped[0, 1] - 1.5) < 1e-14)
    }
}

@Suite struct CSRMatrixTests {
    @Test func tripletsAreSortedAndDuplicatesSummed() {
        let m = CSRMatrix<Float>(rows: 3, columns: 4, triplets: [(2, 1, 5), (0, 3, 1), (0, 1, 2), (0, 3, 1)])
        #expect(m.rowPointers == [0, 2, 2, 3])
        #expect(m.columnIndices == [1, 3, 1])
        #expect(m.values == [2, 2, 5])
        #expect(m[0, 3] == 2 && m[1, 1] == 0 && m[2, 1] == 5)
    }

    @Test func transposeAndProduct() {
        let m = CSRMatrix<Double>(rows: 2, columns: 3, triplets: [(0, 0, 1), (0, 2, 2), (1, 1, 3)])
        let t = m.transposed()
        #expect(t.dense == m.dense.transposed)
        #expect(m.multiplied(by: [1, 1, 1]) == [3, 3])
        #expect(t.multiplied(by: [1, 2]) == [1, 6, 2])
    }
}
