#if canImport(Glibc)
internal import Glibc
#endif

/// Selection, true-positive and false-positive rates of a binary decision per group, and the disparity measures
/// Fairlearn and AIF360 define on them — in their conventions, except that an undefined value (an empty
/// denominator) is `nil` instead of Fairlearn's and AIF360's silent 0.
///
/// Counts are `Double` so the same code evaluates bootstrap replicates, whose counts are weighted.
///
/// ```swift
/// let m = BinaryGroupMetrics(groups: [1, 1, 0, 0], levels: 2, truth: [true, false, true, false],
///                            decisions: [true, false, false, false])
/// m.difference(.selectionRate)            // Fairlearn demographic_parity_difference: 0.5
/// m.directionalDifference(.selectionRate, privileged: 1)  // AIF360 statistical_parity_difference: −0.5
/// ```
public struct BinaryGroupMetrics: Sendable, Equatable {
    /// The counts of one group.
    public struct Counts: Sendable, Equatable, Codable {
        /// Members.
        public var members: Double = 0
        /// Members with a positive decision (ŷ = 1).
        public var selected: Double = 0
        /// Members with a positive outcome (y = 1).
        public var positives: Double = 0
        /// Members with y = 1 and ŷ = 1.
        public var truePositives: Double = 0

        /// Creates counts.
        public init(members: Double = 0, selected: Double = 0, positives: Double = 0, truePositives: Double = 0) {
            self.members = members
            self.selected = selected
            self.positives = positives
            self.truePositives = truePositives
        }

        /// Members with y = 0.
        public var negatives: Double { members - positives }
        /// Members with y = 0 and ŷ = 1.
        public var falsePositives: Double { selected - truePositives }

        /// The numerator and denominator of `rate`.
        public func fraction(_ rate: BinaryRate) -> (numerator: Double, denominator: Double) {
            switch rate {
            case .selectionRate: (selected, members)
            case .truePositiveRate: (truePositives, positives)
            case .falsePositiveRate: (falsePositives, negatives)
            }
        }

        /// The rate, or `nil` when its denominator is 0.
        public func value(_ rate: BinaryRate) -> Double? {
            let (n, d) = fraction(rate)
            return d > 0 ? n / d : nil
        }

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(members: a.members + b.members, selected: a.selected + b.selected,
                   positives: a.positives + b.positives, truePositives: a.truePositives + b.truePositives)
        }
    }

    /// How a symmetric disparity compares groups (Fairlearn's `method`).
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// max over groups − min over groups; ratio min / max.
        case betweenGroups = "between_groups"
        /// max over groups of |m_g − m_all|; ratio min over groups of min(m_g/m_all, m_all/m_g).
        case toOverall = "to_overall"
    }

    /// How equalized odds combines its two components (Fairlearn's `agg`).
    public enum Aggregation: String, Sendable, Codable, CaseIterable {
        /// The larger TPR/FPR difference (smaller ratio).
        case worstCase = "worst_case"
        /// The mean of the two.
        case mean
    }

    /// Counts per group, indexed by level.
    public var groups: [Counts]

    /// Creates metrics from per-group counts.
    public init(groups: [Counts]) { self.groups = groups }

    /// Counts decisions per group.
    ///
    /// - Parameters:
    ///   - groups: Each row's group, in `0..<levels`.
    ///   - truth: Each row's outcome y (ignored for the selection rate; pass the decisions when there is none).
    ///   - decisions: Each row's decision ŷ.
    public init(groups: [Int], levels: Int, truth: [Bool], decisions: [Bool]) {
        precondition(groups.count == truth.count && truth.count == decisions.count, "Columns differ in length")
        var counts = [Counts](repeating: Counts(), count: levels)
        for r in groups.indices {
            let g = groups[r]
            counts[g].members += 1
            if decisions[r] { counts[g].selected += 1 }
            if truth[r] { counts[g].positives += 1 }
            if truth[r] && decisions[r] { counts[g].truePositives += 1 }
        }
        self.groups = counts
    }

    /// All rows together.
    public var overall: Counts { groups.reduce(Counts(), +) }

    /// Groups with at least one member (Fairlearn only knows groups present in the data).
    var present: [Counts] { groups.filter { $0.members > 0 } }

    /// Fairlearn's symmetric difference of `rate`; `nil` when any present group's rate is undefined or fewer than
    /// two groups are present (there is nothing to compare: Fairlearn would print 0).
    public func difference(_ rate: BinaryRate, method: Method = .betweenGroups) -> Double? {
        let values = present.map { $0.value(rate) }
        guard values.count >= 2, !values.contains(where: { $0 == nil }) else { return nil }
        let v = values.map { $0! }
        switch method {
        case .betweenGroups: return v.max()! - v.min()!
        case .toOverall:
            guard let all = overall.value(rate) else { return nil }
            return v.map { abs($0 - all) }.max()!
        }
    }

    /// Fairlearn's symmetric ratio of `rate`; `nil` when a rate is undefined, every rate is 0, or fewer than two
    /// groups are present (Fairlearn would print 1).
    public func ratio(_ rate: BinaryRate, method: Method = .betweenGroups) -> Double? {
        let values = present.map { $0.value(rate) }
        guard values.count >= 2, !values.contains(where: { $0 == nil }) else { return nil }
        let v = values.map { $0! }
        switch method {
        case .betweenGroups:
            let top = v.max()!
            return top > 0 ? v.min()! / top : nil
        case .toOverall:
            guard let all = overall.value(rate), all > 0 else { return nil }
            return v.map { $0 == 0 ? 0 : min($0 / all, all / $0) }.min()!
        }
    }

    /// Fairlearn's `equalized_odds_difference`: worst (or mean) of the TPR and FPR differences.
    public func equalizedOddsDifference(method: Method = .betweenGroups, aggregation: Aggregation = .worstCase)
        -> Double?
    {
        guard let t = difference(.truePositiveRate, method: method),
              let f = difference(.falsePositiveRate, method: method) else { return nil }
        return aggregation == .worstCase ? max(t, f) : (t + f) / 2
    }

    /// Fairlearn's `equalized_odds_ratio`: worst (or mean) of the TPR and FPR ratios.
    public func equalizedOddsRatio(method: Method = .betweenGroups, aggregation: Aggregation = .worstCase)
        -> Double?
    {
        guard let t = ratio(.truePositiveRate, method: method),
              let f = ratio(.falsePositiveRate, method: method) else { return nil }
        return aggregation == .worstCase ? min(t, f) : (t + f) / 2
    }

    /// The privileged group and everyone else, as AIF360's scikit-learn API splits them.
    func split(privileged: Int) -> (unprivileged: Counts, privileged: Counts) {
        var rest = Counts()
        for (g, c) in groups.enumerated() where g != privileged { rest = rest + c }
        return (rest, groups[privileged])
    }

    /// AIF360's directional difference: rate(unprivileged) − rate(privileged), where the unprivileged group is
    /// everyone outside `privileged` (e.g. `statistical_parity_difference` for the selection rate).
    public func directionalDifference(_ rate: BinaryRate, privileged: Int) -> Double? {
        let (u, p) = split(privileged: privileged)
        guard let a = u.value(rate), let b = p.value(rate) else { return nil }
        return a - b
    }

    /// AIF360's directional ratio: rate(unprivileged) / rate(privileged) (e.g. `disparate_impact_ratio`).
    public func directionalRatio(_ rate: BinaryRate, privileged: Int) -> Double? {
        let (u, p) = split(privileged: privileged)
        guard let a = u.value(rate), let b = p.value(rate), b > 0 else { return nil }
        return a / b
    }

    /// AIF360's `average_odds_difference`: [(FPR_u − FPR_p) + (TPR_u − TPR_p)] / 2.
    public func averageOddsDifference(privileged: Int) -> Double? {
        guard let f = directionalDifference(.falsePositiveRate, privileged: privileged),
              let t = directionalDifference(.truePositiveRate, privileged: privileged) else { return nil }
        return (f + t) / 2
    }
}

/// A rate of a binary decision.
public enum BinaryRate: String, Sendable, Codable, CaseIterable {
    /// P(ŷ = 1).
    case selectionRate = "selection_rate"
    /// P(ŷ = 1 | y = 1).
    case truePositiveRate = "true_positive_rate"
    /// P(ŷ = 1 | y = 0).
    case falsePositiveRate = "false_positive_rate"
}
