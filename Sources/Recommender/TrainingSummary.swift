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
    }

    /// The summary as sorted-key JSON.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
