
/// How a training configuration does on held-out interactions, beside recommending the most popular items to
/// everyone: the check `train` and `run` print, store in the model file, and the audit report's header quotes, so
/// a reader knows whether the model on trial is one somebody would ship.
///
/// The data are split per user (``HoldoutSplit``), a model with the same configuration is trained on the training
/// part, and both it and the popularity baseline are ranked on the held-out part (``ModelEvaluation``).
///
/// ```swift
/// let check = try HoldoutCheck.measure(data, configuration: ALSConfiguration(), threads: 2)
/// if !check.beatsPopularity { print(check.verdict) }
/// ```
public struct HoldoutCheck: Sendable, Codable, Equatable {
    /// The share of each user's items held out.
    public var fraction: Double
    /// The seed of the split.
    public var seed: UInt64
    /// The model's and the baseline's metrics on the held-out part.
    public var evaluation: ModelEvaluation

    /// Creates a check from its parts.
    public init(fraction: Double, seed: UInt64, evaluation: ModelEvaluation) {
        self.fraction = fraction
        self.seed = seed
        self.evaluation = evaluation
    }

    /// Whether the model ranks held-out items better than popularity by NDCG@k.
    public var beatsPopularity: Bool { evaluation.model.ndcg > evaluation.popularity.ndcg }

    /// The model's NDCG@k over the baseline's (`nil` when the baseline scores 0).
    public var ndcgRatio: Double? {
        evaluation.popularity.ndcg > 0 ? evaluation.model.ndcg / evaluation.popularity.ndcg : nil
    }

    /// One plain sentence: the two NDCG@k and AUC figures and whether the model beats popularity.
    public var verdict: String {
        let m = evaluation.model, p = evaluation.popularity
        let figures = "NDCG@\(m.k) \(ModelEvaluation.fixed(m.ndcg)) vs popularity \(ModelEvaluation.fixed(p.ndcg)), "
            + "AUC \(ModelEvaluation.fixed(m.auc)) vs \(ModelEvaluation.fixed(p.auc)) "
            + "(\(Int((fraction * 100).rounded()))% of each user's items held out, \(m.users) users)"
        if beatsPopularity {
            let ratio = ndcgRatio.map { r -> String in
                let hundredths = Int((r * 100).rounded())
                return " (\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)× on NDCG)"
            } ?? ""
            return "the model beats the popularity baseline\(ratio): " + figures
        }
        return "the model does not beat recommending the most popular items to everyone: " + figures
            + "; tune it (fairground tune) before trusting an audit of it"
    }
}
