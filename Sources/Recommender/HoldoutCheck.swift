import FileSupport
public import TrainingData
internal import Linear

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

    /// Splits `data`, trains `configuration` on the training part and evaluates it and the popularity baseline on
    /// the held-out part.
    ///
    /// - Parameters:
    ///   - fraction: The share of each user's items held out, in (0, 1).
    ///   - seed: The seed of the split.
    ///   - k: The list length of the metrics.
    ///   - threads: Worker threads; the result is identical for every value.
    /// - Throws: ``InputError`` for a fraction outside (0, 1), an invalid configuration or invalid data.
    public static func measure(
        _ data: InteractionData, configuration: ALSConfiguration, fraction: Double = 0.2, seed: UInt64 = 0,
        k: Int = 10, threads: Int = 1
    ) throws(InputError) -> HoldoutCheck {
        try measure(data, trainer: ImplicitALS(configuration: configuration), fraction: fraction, seed: seed, k: k,
                    threads: threads)
    }

    /// Splits `data`, trains on the training part with `trainer` — the one that trains the model the check is
    /// stored in, item side and item-statistics steps included, so the check is that model's — and evaluates it
    /// and the popularity baseline on the held-out part.
    ///
    /// - Throws: ``InputError`` as ``measure(_:configuration:fraction:seed:k:threads:)``.
    public static func measure(
        _ data: InteractionData, trainer: ImplicitALS, fraction: Double = 0.2, seed: UInt64 = 0, k: Int = 10,
        threads: Int = 1
    ) throws(InputError) -> HoldoutCheck {
        let split = try Split(data, fraction: fraction, seed: seed, k: k, threads: threads)
        return HoldoutCheck(fraction: fraction, seed: seed, evaluation: try split.evaluate(trainer, threads: threads))
    }

    /// A checked per-user split, on which any number of configurations are trained and ranked beside popularity
    /// (one for a check, one per trial for ``HyperparameterSearch``); the baseline is ranked once.
    struct Split {
        let train: CSRMatrix<Float>, test: CSRMatrix<Float>
        let trainData: InteractionData
        let k: Int
        let popularity: RankingMetrics

        init(_ data: InteractionData, fraction: Double, seed: UInt64, k: Int, threads: Int) throws(InputError) {
            guard fraction > 0, fraction < 1 else {
                throw InputError.parameter("holdout", expected: "a held-out fraction in (0, 1)", found: "\(fraction)")
            }
            guard k >= 1 else { throw InputError.parameter("k", expected: "a list length ≥ 1", found: "\(k)") }
            try data.validate()
            (train, test) = HoldoutSplit.split(data.matrix, fraction: fraction, seed: seed)
            trainData = InteractionData(matrix: train, source: data.source)
            self.k = k
            popularity = RankingMetrics.evaluate(.popularity(of: train), train: train, test: test, k: k, threads: threads)
        }

        /// Trains with `trainer` on the training part and ranks it and popularity on the held-out part.
        func evaluate(_ trainer: ImplicitALS, threads: Int) throws(InputError) -> ModelEvaluation {
            let model = try trainer.train(trainData, threads: threads).model
            return ModelEvaluation(
                model: RankingMetrics.evaluate(.model(model), train: train, test: test, k: k, threads: threads),
                popularity: popularity)
        }
    }
}
