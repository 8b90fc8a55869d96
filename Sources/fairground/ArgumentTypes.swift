import ArgumentParser
import Privacy
import Audit
import AuditSubjects
import Pipeline
import Recommender

/// `--confidence one-plus-alpha|alpha`.
extension ALSConfiguration.Confidence: ExpressibleByArgument {
    /// Parses `one-plus-alpha` or `alpha`.
    public init?(argument: String) { self.init(name: argument) }

    /// The accepted spellings, for help and error messages.
    public static var allValueStrings: [String] { ["one-plus-alpha", "alpha"] }

    /// The spelling of the default in help.
    public var defaultValueDescription: String { name }
}

/// `--solver cg|cholesky`.
enum SolverName: String, ExpressibleByArgument, CaseIterable {
    case cg, cholesky
}

/// An `attribute=level` pair (`--privileged gender=male`).
struct Assignment: ExpressibleByArgument {
    var attribute: String
    var level: String

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        attribute = parts[0]
        level = parts[1]
    }

    var defaultValueDescription: String { "\(attribute)=\(level)" }
}

/// An `offer=number` pair (`--score-threshold premium_credit=0.42`, `--budget payday_loan=5000`).
struct OfferValue: ExpressibleByArgument {
    var offer: String
    var value: Double

    init?(argument: String) {
        guard let equals = argument.lastIndex(of: "="), let value = Double(argument[argument.index(after: equals)...]),
              value.isFinite, equals > argument.startIndex else { return nil }
        offer = String(argument[..<equals])
        self.value = value
    }

    var defaultValueDescription: String { "\(offer)=\(value)" }
}

/// An `attribute=level=FILE` triple (`--twin-scores gender=male=twin.csv`).
struct AssignedFile: ExpressibleByArgument {
    var assignment: String
    var path: String

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        assignment = parts[0] + "=" + parts[1]
        path = parts[2]
    }

    var defaultValueDescription: String { "\(assignment)=\(path)" }
}

extension AuditGate.BaselineMismatch: ExpressibleByArgument {}
extension AuditGate.Inconclusive: ExpressibleByArgument {}
extension PrivacyMode: ExpressibleByArgument {}
extension PrivateTraining.ItemSelection: ExpressibleByArgument {}
extension MetricID: ExpressibleByArgument {}
extension FactorImport.Convention: ExpressibleByArgument {}
