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
    /// What private training promises, when the model was trained with differential privacy.
    public var privacy: PrivacyGuarantee?
    /// What federated training did (participation, bytes per client per round), when it was federated.
    public var federation: FederationRecord?

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
        privacy = model.privacy
        federation = model.federation
    }

    /// The summary as sorted-key JSON.
    public func json() throws(FairgroundError) -> String {
        String(decoding: try JSONOutput.bytes(self, snakeCase: true, what: "the training summary").dropLast(), as: UTF8.self)
    }
}

extension ImplicitALS.IterationReport: CustomStringConvertible {
    /// The line `fairground train` prints per sweep: `iteration 3: 0.061 s`, the duration rounded to the
    /// millisecond, then `, loss …` when the loss was computed.
    public var description: String {
        "iteration \(iteration): \(Self.seconds(seconds)) s" + (loss.map { ", loss \($0)" } ?? "")
    }

    /// A duration in seconds rounded to the millisecond, with three decimals: `0.061`, `12.500`.
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite, value >= 0, value < 1e15 else { return "\(value)" }
        let milliseconds = Int((value * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
