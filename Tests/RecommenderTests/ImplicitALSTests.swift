import FileSupport
import Testing
import Linear
@testable import Recommender
import TrainingData

/// A small planted low-rank implicit matrix: users and items in `groups` blocks; a user interacts with most items
/// of their own block and none of the others.
func plantedMatrix(users: Int = 120, items: Int = 60, groups: Int = 3) -> CSRMatrix<Float> {
    var triplets: [(row: Int, column: Int, value: Float)] = []
    for u in 0..<users {
        for i in 0..<items where u % groups == i % groups && (u * 7 + i * 13) % 5 != 0 {
            triplets.append((u, i, Float(1 + (u + i) % 3)))
        }
    }
    return CSRMatrix(rows: users, columns: items, triplets: triplets)
}

func configuration(_ solver: ALSConfiguration.Solver, iterations: Int = 10) -> ALSConfiguration {
    var c = ALSConfiguration()
    c.factors = 8
    c.iterations = iterations
    c.regularization = 0.1
    c.alpha = 1
    c.solver = solver
    c.computeLoss = true
    return c
}

@Suite struct ImplicitALSTests {
    /// A sweep's line gives its duration to the millisecond (issue 24: `iteration 1: 0.060910083000000004 s`).
    @Test func iterationLinesRoundTheirDuration() {
        #expect(ImplicitALS.IterationReport(iteration: 1, seconds: 0.060910083000000004).description == "iteration 1: 0.061 s")
        #expect(ImplicitALS.IterationReport(iteration: 2, seconds: 0.0022313330000000003, loss: 1.5).description
                == "iteration 2: 0.002 s, loss 1.5")
        #expect(ImplicitALS.IterationReport.seconds(12.5) == "12.500")
        #expect(ImplicitALS.IterationReport.seconds(0.9996) == "1.000")
        #expect(ImplicitALS.IterationReport.seconds(0) == "0.000")
    }

    @Test func exactSolverLossDecreasesMonotonically() throws {
        let (_, reports) = try ImplicitALS(configuration: configuration(.cholesky)).train(InteractionData(matrix: plantedMatrix()))
        let losses = reports.map { $0.loss! }
        for (a, b) in zip(losses, losses.dropFirst()) { #expect(b <= a * (1 + 1e-6), "\(losses)") }
        #expect(losses.last! < losses.first! * 0.9)
    }

    @Test func conjugateGradientApproachesTheExactSolution() throws {
        let matrix = plantedMatrix()
        let exact = try ImplicitALS(configuration: configuration(.cholesky, iterations: 15)).train(InteractionData(matrix: matrix)).model
        let cg = try ImplicitALS(configuration: configuration(.conjugateGradient(steps: 8), iterations: 15)).train(InteractionData(matrix: matrix)).model
        let lossExact = ImplicitALS.loss(matrix, exact.userFactors, exact.itemFactors, exact.configuration)
        let lossCG = ImplicitALS.loss(matrix, cg.userFactors, cg.itemFactors, cg.configuration)
        #expect(abs(lossCG - lossExact) / lossExact < 0.01, "\(lossCG) vs \(lossExact)")
        // The predictions agree closely too.
        var diff: Float = 0
        for u in 0..<matrix.rows { for i in 0..<matrix.columns { diff = max(diff, abs(exact.score(user: u, item: i) - cg.score(user: u, item: i))) } }
        #expect(diff < 0.05, "max score difference \(diff)")
    }

    @Test func plantedStructureIsRecovered() throws {
        let matrix = plantedMatrix()
        let model = try ImplicitALS(configuration: configuration(.cholesky)).train(InteractionData(matrix: matrix)).model
        // Every user scores the items of their own block above every item of other blocks.
        for u in 0..<matrix.rows {
            let own = (0..<matrix.columns).filter { $0 % 3 == u % 3 }.map { model.score(user: u, item: $0) }
            let other = (0..<matrix.columns).filter { $0 % 3 != u % 3 }.map { model.score(user: u, item: $0) }
            #expect(own.min()! > other.max()!, "user \(u)")
        }
    }

    @Test(arguments: [ALSConfiguration.Solver.cholesky, .conjugateGradient(steps: 3)])
    func factorsDoNotDependOnThreads(solver: ALSConfiguration.Solver) throws {
        let matrix = plantedMatrix(users: 700, items: 90)
        let one = try ImplicitALS(configuration: configuration(solver, iterations: 3)).train(InteractionData(matrix: matrix), threads: 1).model
        let two = try ImplicitALS(configuration: configuration(solver, iterations: 3)).train(InteractionData(matrix: matrix), threads: 2).model
        #expect(one == two)
        #expect(try one.fileBytes() == two.fileBytes())
    }

    /// A singular row system (more factors than items, λ = 0) is counted in the sweep's report, never silent;
    /// fold-in names the rows too.
    @Test func unsolvedRowsAreCounted() throws {
        let m = CSRMatrix<Float>(rows: 4, columns: 3, triplets: [(0, 0, 1), (1, 1, 2), (2, 2, 1), (3, 0, 1)])
        var c = configuration(.cholesky, iterations: 2)
        c.factors = 8
        c.regularization = 0
        let (model, reports) = try ImplicitALS(configuration: c).train(InteractionData(matrix: m))
        #expect(reports.allSatisfy { $0.unsolvedRows > 0 }, "\(reports)")
        #expect(model.foldIn(m).unsolved == [0, 1, 2, 3])
        var regularized = c
        regularized.regularization = 0.1
        let (_, fine) = try ImplicitALS(configuration: regularized).train(InteractionData(matrix: m))
        #expect(fine.allSatisfy { $0.unsolvedRows == 0 })
    }

    @Test func invalidConfigurationsAreRefused() {
        var c = ALSConfiguration()
        c.factors = 0
        #expect(throws: FairgroundError.self) { try c.validate() }
        c = ALSConfiguration()
        c.regularization = -1
        #expect(throws: FairgroundError.self) { try c.validate() }
        c = ALSConfiguration()
        c.solver = .conjugateGradient(steps: 0)
        #expect(throws: FairgroundError.self) { try c.validate() }
    }
}
