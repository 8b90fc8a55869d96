import TrainingData
import FileSupport
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// What a training run did, for `fairground train --json`.
public struct TrainingSummary: Sendable, Codable, Equatable {
    /// Users, items, stored interactions and factors.
    public var users: Int, items: Int, nonzeros: Int, factors: Int
    /// The solver name (`cg` or `cholesky`).
    public var solver: String
    /// Hyper-parameters.
    public var configuration: ALSConfiguration
    /// Per-iteration reports.
    public var iterations: [ImplicitALS.IterationReport]
    /// Mean seconds per iteration.
    public var secondsPerIteration: Double
    /// The model's holdout check beside popularity, when measured.
    public var holdout: HoldoutCheck?

    /// Summarises a run.
    public init(model: FactorModel, reports: [ImplicitALS.IterationReport], nonzeros: Int) {
        users = model.users
        items = model.items
        self.nonzeros = nonzeros
        factors = model.factors
        solver = model.configuration.solver.name
        configuration = model.configuration
        iterations = reports
        secondsPerIteration = reports.isEmpty ? 0 : reports.reduce(0) { $0 + $1.seconds } / Double(reports.count)
        holdout = model.holdout
    }

    /// The summary as sorted-key JSON.
    public func json() throws(FairgroundError) -> String {
        String(decoding: try JSONOutput.bytes(self, snakeCase: true, what: "the training summary").dropLast(), as: UTF8.self)
    }
}
