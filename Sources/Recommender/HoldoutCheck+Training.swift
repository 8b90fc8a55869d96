import FileSupport
public import TrainingData
internal import Linear

extension HoldoutCheck {
    /// Splits `data`, trains `configuration` on the training part and evaluates it and the popularity baseline on
    /// the held-out part.
    ///
    /// - Parameters:
    ///   - fraction: The share of each user's items held out, in (0, 1).
    ///   - seed: The seed of the split.
    ///   - k: The list length of the metrics.
    ///   - threads: Worker threads; the result is identical for every value.
    /// - Throws: ``FairgroundError`` for a fraction outside (0, 1), an invalid configuration or invalid data.
    public static func measure(
        _ data: InteractionData, configuration: ALSConfiguration, fraction: Double = 0.2, seed: UInt64 = 0,
        k: Int = 10, threads: Int = 1
    ) throws(FairgroundError) -> HoldoutCheck {
        try measure(data, trainer: ImplicitALS(configuration: configuration), fraction: fraction, seed: seed, k: k,
                    threads: threads)
    }

    /// Splits `data`, trains on the training part with `trainer` — the one that trains the model the check is
    /// stored in, item side and item-statistics steps included, so the check is that model's — and evaluates it
    /// and the popularity baseline on the held-out part.
    ///
    /// - Throws: ``FairgroundError`` as ``measure(_:configuration:fraction:seed:k:threads:)``.
    public static func measure(
        _ data: InteractionData, trainer: ImplicitALS, fraction: Double = 0.2, seed: UInt64 = 0, k: Int = 10,
        threads: Int = 1
    ) throws(FairgroundError) -> HoldoutCheck {
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

        init(_ data: InteractionData, fraction: Double, seed: UInt64, k: Int, threads: Int) throws(FairgroundError) {
            guard fraction > 0, fraction < 1 else {
                throw FairgroundError.parameter("holdout", expected: "a held-out fraction in (0, 1)", found: "\(fraction)")
            }
            guard k >= 1 else { throw FairgroundError.parameter("k", expected: "a list length ≥ 1", found: "\(k)") }
            try data.validate()
            (train, test) = HoldoutSplit.split(data.matrix, fraction: fraction, seed: seed)
            // The users and their columns stay: a trainer may read them (federated participation keys by user id).
            trainData = InteractionData(matrix: train, userIDs: data.userIDs, userColumns: data.userColumns,
                                        source: data.source)
            self.k = k
            popularity = RankingMetrics.evaluate(.popularity(of: train), train: train, test: test, k: k, threads: threads)
        }

        /// Trains with `trainer` on the training part and ranks it and popularity on the held-out part.
        func evaluate(_ trainer: ImplicitALS, threads: Int) throws(FairgroundError) -> ModelEvaluation {
            let model = try trainer.train(trainData, threads: threads).model
            return ModelEvaluation(
                model: RankingMetrics.evaluate(.model(model), train: train, test: test, k: k, threads: threads),
                popularity: popularity)
        }
    }
}
