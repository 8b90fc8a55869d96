import FileSupport
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// A model's ranking metrics beside the popularity baseline's, so every report shows how much the model learned.
public struct ModelEvaluation: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The model's metrics.
    public var model: RankingMetrics
    /// The popularity baseline's metrics on the same split.
    public var popularity: RankingMetrics
    /// The same metrics per level of an attribute, when asked for (`nil` otherwise).
    public var groups: [Group]?

    /// One group's metrics.
    public struct Group: Sendable, Codable, Equatable {
        /// The attribute.
        public var attribute: String
        /// The level.
        public var level: String
        /// The model's metrics over the group's users.
        public var model: RankingMetrics
        /// The baseline's metrics over them.
        public var popularity: RankingMetrics

        /// Creates a group's evaluation.
        public init(attribute: String, level: String, model: RankingMetrics, popularity: RankingMetrics) {
            self.attribute = attribute
            self.level = level
            self.model = model
            self.popularity = popularity
        }
    }

    /// An evaluation from metrics already computed (e.g. the baseline's once for many models on one split).
    public init(model: RankingMetrics, popularity: RankingMetrics, groups: [Group]? = nil) {
        self.model = model
        self.popularity = popularity
        self.groups = groups
    }

    /// A two-column text table.
    public var description: String {
        func row(_ name: String, _ a: Double, _ b: Double) -> String {
            Self.pad(name) + "\(Self.fixed(a))    \(Self.fixed(b))"
        }
        return [
            "k = \(model.k), \(model.users) users with held-out items (AUC over \(model.aucUsers))",
            Self.pad("metric") + "model     popularity",
            row("precision@k", model.precision, popularity.precision),
            row("recall@k", model.recall, popularity.recall),
            row("ndcg@k", model.ndcg, popularity.ndcg),
            row("map@k", model.map, popularity.map),
            row("auc", model.auc, popularity.auc),
            row("precision@k (implicit's)", model.implicitPrecision, popularity.implicitPrecision),
        ].joined(separator: "\n") + (groups.map { groups in
            "\n\nper " + (groups.first?.attribute ?? "group") + ":\n" + Self.pad("level (users)")
                + "ndcg@k model / popularity    precision@k model / popularity\n"
                + groups.map { g in
                    Self.pad("\(g.level) (\(g.model.users))") + "\(Self.fixed(g.model.ndcg)) / \(Self.fixed(g.popularity.ndcg))"
                        + "             \(Self.fixed(g.model.precision)) / \(Self.fixed(g.popularity.precision))"
                }.joined(separator: "\n")
        } ?? "")
    }

    /// The evaluation as sorted-key JSON.
    public func json() throws(FairgroundError) -> String {
        String(decoding: try JSONOutput.bytes(self, snakeCase: true, what: "the evaluation").dropLast(), as: UTF8.self)
    }

    static func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, 28 - s.count)) }

    /// `x` with four decimals (`0.2437`), as every table of the recommender prints it.
    public static func fixed(_ x: Double) -> String {
        let scaled = Int((x * 1e4).rounded())
        let fraction = String(abs(scaled) % 10000)
        return "\(scaled / 10000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }
}
