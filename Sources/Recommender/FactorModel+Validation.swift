import FileSupport
import TrainingData

extension FactorModel {
    /// Checks that the model is one `train` (or `import`) could have made, which every consumer assumes: a
    /// configuration that ``ALSConfiguration/validate()`` accepts with the factor count of the matrices, at least one
    /// item, at most as many iterations run as configured, a holdout check and a training selection with values in
    /// their ranges, and factors that are finite numbers whose scores stay finite. ``decode(_:file:)`` applies it to
    /// every model file, whose checksum proves only that the bytes are the writer's.
    ///
    /// ```swift
    /// try model.validate()   // parameter model: configuration.regularization: expected a finite λ ≥ 0, found '-1.0'
    /// ```
    ///
    /// - Throws: ``FairgroundError`` of the parameter `model`, its field the model file's header key
    ///   (`configuration.regularization`, `iterationsRun`, `holdout.fraction`, …) or the factors at fault
    ///   (`user_factors`, `item_factors`, or `factors` for both), with what was expected and what was found.
    public func validate() throws(FairgroundError) {
        do { try configuration.validate() } catch {
            // The configuration names its parameters; the header nests the CG steps in its solver.
            let key = error.source == "steps" ? "solver.conjugateGradient.steps" : error.source
            throw FairgroundError.parameter("model", field: "configuration." + key, expected: error.expected,
                                            found: error.found)
        }
        guard configuration.factors == factors else {
            throw FairgroundError.parameter("model", field: "configuration.factors",
                                            expected: "the factor count of the factors (\(factors))",
                                            found: "\(configuration.factors)")
        }
        guard items >= 1 else {
            throw FairgroundError.parameter("model", field: "items", expected: "at least one item", found: "\(items)")
        }
        guard iterationsRun >= 0, iterationsRun <= configuration.iterations else {
            throw FairgroundError.parameter(
                "model", field: "iterationsRun",
                expected: "the iterations run, from 0 to configuration.iterations (\(configuration.iterations))",
                found: "\(iterationsRun)")
        }
        if let holdout { try Self.validate(holdout) }
        if let selection { try Self.validate(selection) }
        if let privacy { try Self.validate(privacy) }
        try validateFactors()
    }

    /// The holdout check: a share held out in (0, 1), as `train --holdout` takes, and metrics in their ranges.
    private static func validate(_ holdout: HoldoutCheck) throws(FairgroundError) {
        guard holdout.fraction > 0, holdout.fraction < 1 else {
            throw FairgroundError.parameter("model", field: "holdout.fraction", expected: "a share in (0, 1)",
                                            found: "\(holdout.fraction)")
        }
        for (name, m) in [("model", holdout.evaluation.model), ("popularity", holdout.evaluation.popularity)] {
            let field = "holdout.evaluation." + name + "."
            for (key, count, least) in [("k", m.k, 1), ("users", m.users, 0), ("aucUsers", m.aucUsers, 0)]
            where count < least {
                throw FairgroundError.parameter("model", field: field + key, expected: "a count ≥ \(least)",
                                                found: "\(count)")
            }
            let values = [("precision", m.precision), ("recall", m.recall), ("ndcg", m.ndcg), ("map", m.map),
                          ("implicitPrecision", m.implicitPrecision), ("auc", m.auc)]
            // A mean of values in [0, 1] may pass 1 by rounding only.
            for (key, value) in values where !(value >= 0 && value <= 1 + 1e-9) {
                throw FairgroundError.parameter("model", field: field + key, expected: "a value from 0 to 1",
                                                found: "\(value)")
            }
        }
    }

    /// The privacy guarantee: ε > 0 (finite), δ in (0, 1), every release with a positive finite noise multiplier and
    /// a count ≥ 1, a positive clip, a budget ≥ 1 and a positive confidence cap.
    private static func validate(_ privacy: PrivacyGuarantee) throws(FairgroundError) {
        let checks: [(String, Bool, String, String)] = [
            ("epsilon", privacy.epsilon > 0 && privacy.epsilon.isFinite, "a finite ε > 0", "\(privacy.epsilon)"),
            ("delta", privacy.delta > 0 && privacy.delta < 1, "a δ in (0, 1)", "\(privacy.delta)"),
            ("clip", privacy.clip > 0 && privacy.clip.isFinite, "a finite clip > 0", "\(privacy.clip)"),
            ("max_items", privacy.maxItems >= 1, "a budget of at least 1 item", "\(privacy.maxItems)"),
            ("confidence_cap", privacy.confidenceCap > 0 && privacy.confidenceCap.isFinite,
             "a finite confidence cap > 0", "\(privacy.confidenceCap)"),
            ("releases", !privacy.releases.isEmpty && privacy.releases.allSatisfy {
                $0.noiseMultiplier > 0 && $0.noiseMultiplier.isFinite && $0.count >= 1 },
             "releases with finite noise multipliers > 0 and counts ≥ 1", "\(privacy.releases.count) releases"),
        ]
        for (key, holds, expected, found) in checks where !holds {
            throw FairgroundError.parameter("model", field: "privacy." + key, expected: expected, found: found)
        }
    }

    /// The training selection's record: counts of users and interactions are never negative.
    private static func validate(_ selection: TrainingSelection.Record) throws(FairgroundError) {
        let counts = [("optedOutUsers", selection.optedOutUsers), ("listedUsers", selection.listedUsers),
                      ("listedUsersAbsent", selection.listedUsersAbsent),
                      ("droppedInteractions", selection.droppedInteractions), ("trainedUsers", selection.trainedUsers)]
        for (key, count) in counts where count < 0 {
            throw FairgroundError.parameter("model", field: "selection." + key, expected: "a count ≥ 0", found: "\(count)")
        }
    }

    /// Finite factors, and no score or item Gram entry beyond `Float`'s range: the largest user norm times the
    /// largest item norm (which bounds every score), and the item factors' squared Frobenius norm (which bounds
    /// every entry of YᵀY, the fold-in's Gram matrix, and every item's squared norm).
    private func validateFactors() throws(FairgroundError) {
        let k = factors
        var largest = (user: 0.0, item: 0.0), itemTotal = 0.0
        for (side, m) in [("user", userFactors), ("item", itemFactors)] {
            var sideLargest = 0.0
            for row in 0..<m.rows {
                var norm = 0.0
                for column in 0..<k {
                    let v = m.elements[row * k + column]
                    guard v.isFinite else {
                        throw FairgroundError.parameter("model", field: side + "_factors", expected: "finite factors",
                                                        found: "\(v) (\(side) \(row), factor \(column))")
                    }
                    norm += Double(v) * Double(v)
                }
                sideLargest = max(sideLargest, norm)
                if side == "item" { itemTotal += norm }
            }
            if side == "user" { largest.user = sideLargest } else { largest.item = sideLargest }
        }
        let limit = Double(Float.greatestFiniteMagnitude)
        let score = largest.user.squareRoot() * largest.item.squareRoot()
        guard score < limit, itemTotal < limit else {
            throw FairgroundError.parameter(
                "model", field: "factors",
                expected: "factors whose scores are finite (the largest user norm times the largest item norm, and "
                    + "the item factors' squared norm, below \(Float.greatestFiniteMagnitude))",
                found: "a largest score bound of \(score) and a squared item norm of \(itemTotal)")
        }
    }
}
