import FileSupport
#if canImport(Glibc)
internal import Glibc
#endif
internal import Linear
public import TrainingData

/// A seeded random search over ALS hyper-parameters — factors, λ, α and the confidence convention — ranked by
/// NDCG@k on a deterministic per-user validation split (``HoldoutSplit``), beside the popularity baseline.
///
/// Trial 0 is the starting configuration itself (so the search never reports worse than it); trial t > 0 draws
/// its values from counter hashes of (seed, t), so the trials, and the best one, are the same on every machine
/// and thread count. Ties in NDCG go to the earlier trial.
///
/// ```swift
/// let search = HyperparameterSearch(budget: 12)
/// let result = try search.run(data, threads: 2)
/// try result.best.configuration.write(to: "best.json")
/// ```
public struct HyperparameterSearch: Sendable {
    /// One evaluated configuration.
    public struct Trial: Sendable, Codable, Equatable {
        /// Its index (0: the starting configuration).
        public var index: Int
        /// The configuration trained.
        public var configuration: ALSConfiguration
        /// Its metrics and the baseline's on the validation part.
        public var evaluation: ModelEvaluation
    }

    /// What a search found.
    public struct Result: Sendable, Codable, Equatable {
        /// Every trial, in order.
        public var trials: [Trial]
        /// The index of the best trial by NDCG@k.
        public var bestIndex: Int
        /// The held-out fraction and seed of the validation split.
        public var holdout: Double, seed: UInt64
        /// The best trial.
        public var best: Trial { trials[bestIndex] }
        /// The best trial's validation figures as a holdout check.
        public var bestCheck: HoldoutCheck {
            HoldoutCheck(fraction: holdout, seed: seed, evaluation: best.evaluation)
        }
    }

    /// The number of trials, the starting configuration included.
    public var budget: Int
    /// The share of each user's items held out for validation.
    public var holdout: Double
    /// The seed of the split and of the trial draws.
    public var seed: UInt64
    /// The list length of NDCG@k.
    public var k: Int
    /// Trial 0, and the iterations, solver and seed of every trial.
    public var start: ALSConfiguration
    /// The factor counts a trial draws from.
    public var factorChoices = [16, 32, 48, 64, 96, 128]
    /// The log-uniform range of λ.
    public var regularizationRange: ClosedRange<Double> = 0.01...100
    /// The log-uniform range of α.
    public var alphaRange: ClosedRange<Double> = 0.1...50

    /// A search of `budget` trials from `start`, validated on `holdout` of each user's items.
    public init(budget: Int = 16, holdout: Double = 0.2, seed: UInt64 = 0, k: Int = 10,
                start: ALSConfiguration = ALSConfiguration()) {
        self.budget = budget
        self.holdout = holdout
        self.seed = seed
        self.k = k
        self.start = start
    }

    /// The configuration of trial `t`.
    public func configuration(trial t: Int) -> ALSConfiguration {
        guard t > 0 else { return start }
        let key = CounterHash.mix(seed ^ UInt64(RandomStream.hyperparameterSearch.rawValue))
        func unit(_ parameter: UInt64) -> Double {
            Double(CounterHash.mix(key ^ CounterHash.mix(UInt64(t) << 8 | parameter)) >> 11) * 0x1p-53
        }
        func logUniform(_ range: ClosedRange<Double>, _ u: Double) -> Double {
            exp(log(range.lowerBound) + u * (log(range.upperBound) - log(range.lowerBound)))
        }
        var c = start
        c.factors = factorChoices[min(Int(unit(1) * Double(factorChoices.count)), factorChoices.count - 1)]
        c.regularization = Float(Self.rounded(logUniform(regularizationRange, unit(2))))
        c.alpha = Float(Self.rounded(logUniform(alphaRange, unit(3))))
        c.confidence = unit(4) < 0.5 ? .onePlusAlpha : .alpha
        return c
    }

    /// Runs the search.
    ///
    /// - Parameters:
    ///   - threads: Worker threads; every result is identical for every value.
    ///   - trialFinished: Called after each trial, in order.
    /// - Throws: ``FairgroundError`` for a budget below 1, a fraction outside (0, 1), an invalid configuration or data.
    public func run(
        _ data: InteractionData, threads: Int = 1, trialFinished: ((Trial) -> Void)? = nil
    ) throws(FairgroundError) -> Result {
        guard budget >= 1, budget <= 10_000 else {
            throw FairgroundError.parameter("budget", expected: "a number of trials from 1 to 10000", found: "\(budget)")
        }
        try start.validate()
        let split = try HoldoutCheck.Split(data, fraction: holdout, seed: seed, k: k, threads: threads)
        var trials: [Trial] = []
        var best = 0
        for t in 0..<budget {
            let configuration = configuration(trial: t)
            let trial = Trial(index: t, configuration: configuration,
                              evaluation: try split.evaluate(ImplicitALS(configuration: configuration), threads: threads))
            trials.append(trial)
            if trial.evaluation.model.ndcg > trials[best].evaluation.model.ndcg { best = t }
            trialFinished?(trial)
        }
        return Result(trials: trials, bestIndex: best, holdout: holdout, seed: seed)
    }

    /// Two significant digits, so a tuned value reads as a person would write it.
    static func rounded(_ x: Double) -> Double {
        let digits = Int(log10(x).rounded(.down)) - 1
        let scale = pow(10, Double(abs(digits)))
        return digits >= 0 ? (x / scale).rounded() * scale : (x * scale).rounded() / scale
    }
}

extension HyperparameterSearch.Result {
    /// How a configuration was tuned, as recorded in its file.
    public struct Summary: Sendable, Codable, Equatable {
        /// The trials run.
        public var trials: Int
        /// The best trial's index.
        public var bestTrial: Int
        /// The validation split.
        public var holdout: Double, seed: UInt64
        /// The list length.
        public var k: Int
        /// The best trial's NDCG@k and the popularity baseline's on the validation part.
        public var ndcg: Double, popularityNdcg: Double
    }

    /// The summary of this search.
    public var summary: Summary {
        Summary(trials: trials.count, bestTrial: bestIndex, holdout: holdout, seed: seed, k: best.evaluation.model.k,
                ndcg: best.evaluation.model.ndcg, popularityNdcg: best.evaluation.popularity.ndcg)
    }
}
