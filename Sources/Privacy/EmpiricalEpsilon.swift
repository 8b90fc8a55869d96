#if canImport(Glibc)
internal import Glibc
#endif
import Statistics

/// The empirical lower bound on ε that one membership test proves ("auditing differential privacy": Jagielski,
/// Ullman & Oprea 2020; Nasr et al. 2021).
///
/// An (ε, δ)-DP release bounds every test that flags members: TPR ≤ e^ε·FPR + δ, and, for its complement,
/// 1 − FPR ≤ e^ε·(1 − TPR) + δ. So a test's rates give
/// `ε ≥ max(log((TPR − δ) / FPR), log((1 − FPR − δ) / (1 − TPR)), 0)`. To make that a bound rather than a
/// hope, the threshold ("score ≥ t ⇒ member") is chosen on one seeded half of the users — the t whose bound is
/// largest there — and the rates are measured on the other half, with the true-positive rate replaced by its
/// Clopper–Pearson lower bound and the false-positive rate by its upper bound, each one-sided at
/// 1 − (1 − level)/2. With probability at least `level`, the true ε of the release is at least ``value``.
///
/// ```swift
/// let bound = EmpiricalEpsilon.bound(truePositives: 480, members: 500, falsePositives: 20, nonMembers: 500,
///                                    delta: 1e-5, level: 0.95)   // ≈ 2.7
/// ```
public struct EmpiricalEpsilon: Sendable, Equatable, Codable {
    /// Where δ came from.
    public enum DeltaSource: String, Sendable, Equatable, Codable {
        /// Given by the caller (`--delta`).
        case given
        /// The model's privacy guarantee.
        case model
        /// Neither: ``MembershipAttack/defaultDelta``.
        case `default`
    }

    /// The lower bound on ε (0 when the test proves nothing).
    public var value: Double
    /// δ of the bound.
    public var delta: Double
    /// Where δ came from.
    public var deltaSource: DeltaSource
    /// Confidence level of the bound.
    public var level: Double
    /// The threshold chosen on the calibration half: users scoring at least this are flagged as members.
    public var threshold: Double
    /// Members and non-members of the calibration half.
    public var calibrationMembers: Int, calibrationNonMembers: Int
    /// Members and non-members of the evaluation half.
    public var evaluationMembers: Int, evaluationNonMembers: Int
    /// Evaluation members flagged (true positives) and non-members flagged (false positives).
    public var truePositives: Int, falsePositives: Int
    /// The Clopper–Pearson lower bound of the evaluation half's true-positive rate.
    public var truePositiveRateLower: Double
    /// The Clopper–Pearson upper bound of the evaluation half's false-positive rate.
    public var falsePositiveRateUpper: Double

    /// The evaluation half's true-positive rate.
    public var truePositiveRate: Double { Double(truePositives) / Double(max(evaluationMembers, 1)) }
    /// The evaluation half's false-positive rate.
    public var falsePositiveRate: Double { Double(falsePositives) / Double(max(evaluationNonMembers, 1)) }

    /// Chooses the threshold on the calibration half and bounds ε on the evaluation half.
    ///
    /// - Precondition: each half has at least one member and one non-member.
    init(members: (calibration: [Double], evaluation: [Double]),
         nonMembers: (calibration: [Double], evaluation: [Double]), delta: Double, deltaSource: DeltaSource,
         level: Double) {
        precondition(!members.calibration.isEmpty && !members.evaluation.isEmpty && !nonMembers.calibration.isEmpty
                     && !nonMembers.evaluation.isEmpty, "Each half needs members and non-members")
        let cut = Self.threshold(members: members.calibration, nonMembers: nonMembers.calibration, delta: delta,
                                 level: level)
        threshold = cut
        truePositives = members.evaluation.filter { $0 >= cut }.count
        falsePositives = nonMembers.evaluation.filter { $0 >= cut }.count
        calibrationMembers = members.calibration.count
        calibrationNonMembers = nonMembers.calibration.count
        evaluationMembers = members.evaluation.count
        evaluationNonMembers = nonMembers.evaluation.count
        let side = Self.side(level)
        truePositiveRateLower = ClopperPearson.lower(successes: truePositives, trials: evaluationMembers, level: side)
        falsePositiveRateUpper = ClopperPearson.upper(successes: falsePositives, trials: evaluationNonMembers,
                                                      level: side)
        value = Self.epsilon(truePositiveRateLower: truePositiveRateLower,
                             falsePositiveRateUpper: falsePositiveRateUpper, delta: delta)
        self.delta = delta
        self.deltaSource = deltaSource
        self.level = level
    }

    /// The confidence of each one-sided bound, so that both hold together at `level`.
    static func side(_ level: Double) -> Double { 1 - (1 - level) / 2 }

    /// ε ≥ max(log((TPR_lo − δ)/FPR_hi), log((1 − FPR_hi − δ)/(1 − TPR_lo)), 0); a term whose numerator is not
    /// positive bounds nothing.
    public static func epsilon(truePositiveRateLower tpr: Double, falsePositiveRateUpper fpr: Double,
                               delta: Double) -> Double {
        var best = 0.0
        if tpr - delta > 0, fpr > 0 { best = max(best, log((tpr - delta) / fpr)) }
        if 1 - fpr - delta > 0, 1 - tpr > 0 { best = max(best, log((1 - fpr - delta) / (1 - tpr))) }
        return best
    }

    /// The bound proved by `truePositives` of `members` and `falsePositives` of `nonMembers` flagged, with
    /// Clopper–Pearson bounds one-sided at 1 − (1 − level)/2.
    ///
    /// - Precondition: `members > 0`, `nonMembers > 0`, counts within them.
    public static func bound(truePositives: Int, members: Int, falsePositives: Int, nonMembers: Int, delta: Double,
                             level: Double) -> Double {
        let side = side(level)
        return epsilon(truePositiveRateLower: ClopperPearson.lower(successes: truePositives, trials: members, level: side),
                       falsePositiveRateUpper: ClopperPearson.upper(successes: falsePositives, trials: nonMembers,
                                                                    level: side),
                       delta: delta)
    }

    /// The threshold whose bound is largest on the given (calibration) scores; among equal bounds (all 0 when the
    /// scores prove nothing) the one with the largest TPR − FPR, then the highest. Candidates are the distinct
    /// scores, at most 256 of them evenly spaced in rank.
    static func threshold(members: [Double], nonMembers: [Double], delta: Double, level: Double) -> Double {
        var candidates = operatingPoints(members: members, nonMembers: nonMembers)
        if candidates.count > 256 {
            let step = Double(candidates.count - 1) / 255
            candidates = (0...255).map { candidates[Int((Double($0) * step).rounded())] }
        }
        var best = (threshold: candidates[0].threshold, epsilon: -1.0, youden: -2.0)
        for c in candidates {
            let e = bound(truePositives: c.tp, members: members.count, falsePositives: c.fp,
                          nonMembers: nonMembers.count, delta: delta, level: level)
            let youden = Double(c.tp) / Double(members.count) - Double(c.fp) / Double(nonMembers.count)
            if e > best.epsilon || (e == best.epsilon && youden > best.youden) { best = (c.threshold, e, youden) }
        }
        return best.threshold
    }

    /// Every distinct score from the highest down, with how many members (true positives) and non-members (false
    /// positives) score at least that much: the test "score ≥ t ⇒ member" at each t.
    static func operatingPoints(members: [Double], nonMembers: [Double]) -> [(threshold: Double, tp: Int, fp: Int)] {
        let all = (members.map { ($0, true) } + nonMembers.map { ($0, false) }).sorted { $0.0 > $1.0 }
        var points: [(threshold: Double, tp: Int, fp: Int)] = []
        var tp = 0, fp = 0, i = 0
        while i < all.count {
            let t = all[i].0
            while i < all.count && all[i].0 == t {
                if all[i].1 { tp += 1 } else { fp += 1 }
                i += 1
            }
            points.append((t, tp, fp))
        }
        return points
    }
}
