#if canImport(Glibc)
internal import Glibc
#endif
import Statistics

/// Turns per-group sums into findings: values, percentile intervals, tests, and (at the end) Holm verdicts.
struct FindingBuilder {
    let engine: AuditEngine
    let tallies: Tallies
    let layout: AuditEngine.Layout
    var findings: [Finding] = []
    var findingTests: [[Int]] = []
    var findingIntervals: [IntervalMethod] = []
    /// Per finding, its value and interval recipe on the materiality scale when that is not its own (a rate
    /// difference's ratio).
    var findingMeasures: [(value: Double?, method: IntervalMethod)?] = []
    var tests: [Significance.Outcome] = []

    init(engine: AuditEngine, tallies: Tallies, layout: AuditEngine.Layout) {
        self.engine = engine
        self.tallies = tallies
        self.layout = layout
    }

    var configuration: AuditConfiguration { engine.configuration }
    var groupings: [Grouping] { engine.groupings }
    var minimum: Double { Double(configuration.minimumGroupSize) }

    // MARK: - Helpers

    /// The value and its interval at the audit's confidence level.
    func interval(_ value: Double?, _ method: IntervalMethod) -> Estimate {
        guard let value, let b = method.bounds(level: configuration.confidenceLevel) else {
            return Estimate(value: value)
        }
        return Estimate(value: value, lower: min(b.lower, value), upper: max(b.upper, value))
    }

    /// A smooth statistic (a difference of gaps, computed on the same users) with value ± z·SE, the standard error
    /// from the Poisson bootstrap replicates. Undefined when more than 10% of the replicates are.
    func bootstrapNormal(_ statistic: (Int) -> Double?) -> Estimate {
        guard let (value, method) = bootstrapMethod(statistic) else { return Estimate(value: statistic(0)) }
        return interval(value, method)
    }

    /// The value of a smooth statistic and its normal interval recipe with the Poisson bootstrap's standard
    /// error; `nil` when it is undefined on the data or on more than 10% of the replicates.
    func bootstrapMethod(_ statistic: (Int) -> Double?) -> (value: Double, method: IntervalMethod)? {
        guard let value = statistic(0) else { return nil }
        var replicated: [Double] = []
        replicated.reserveCapacity(tallies.replicates)
        for r in 1...tallies.replicates { if let v = statistic(r) { replicated.append(v) } }
        guard replicated.count >= 2, Double(replicated.count) >= 0.9 * Double(tallies.replicates) else { return nil }
        let mean = replicated.reduce(0, +) / Double(replicated.count)
        let variance = replicated.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(replicated.count - 1)
        return (value, .normal(value: value, error: variance.squareRoot()))
    }

    func members(_ g: Int, _ level: Int) -> Double { tallies.sum(0, g, level, 0) }

    /// Levels large enough to test, and a note naming those left out.
    func eligible(_ g: Int) -> (levels: [Int], note: String) {
        var kept: [Int] = [], left: [String] = []
        for l in groupings[g].levels.indices {
            let m = members(g, l)
            if m >= minimum { kept.append(l) } else if m > 0 { left.append("\(groupings[g].levels[l]) (\(Int(m)))") }
        }
        let note = left.isEmpty ? "" : "; groups below \(configuration.minimumGroupSize) users left out of the test: "
            + left.joined(separator: ", ")
        return (kept, note)
    }

    /// Per-level values of a proportion `numerator / denominator` (counts of users) with Wilson intervals.
    func rateValues(_ g: Int, numerator: (Int) -> Double, denominator: (Int) -> Double) -> [GroupValue] {
        groupings[g].levels.indices.map { l in
            let x = numerator(l), n = denominator(l)
            return GroupValue(group: groupings[g].levels[l], members: Int(members(g, l)), numerator: x, denominator: n,
                              estimate: interval(n > 0 ? x / n : nil, .wilson(successes: x, trials: n)),
                              small: members(g, l) < minimum)
        }
    }

    /// Per-level means of `column` over the users counted by `countColumn`, with normal intervals.
    func meanValues(_ g: Int, column: Int, count countColumn: Int) -> [GroupValue] {
        groupings[g].levels.indices.map { l in
            let m = tallies.moments(g, l, column, count: countColumn)
            let s = GroupSummary.mean(m)
            return GroupValue(group: groupings[g].levels[l], members: Int(members(g, l)), numerator: m.sum,
                              denominator: m.count,
                              estimate: interval(m.count > 0 ? s.value : nil, .normal(value: s.value,
                                                                                     error: s.variance.squareRoot())),
                              small: members(g, l) < minimum)
        }
    }

    /// The summaries of the levels with members (of `levels`, when given), for a gap over them (`nil` when a level
    /// with members has an empty denominator: the gap is undefined).
    func summaries(_ g: Int, levels: [Int]? = nil, _ summary: (Int) -> GroupSummary?) -> [GroupSummary]? {
        var result: [GroupSummary] = []
        for l in levels ?? Array(groupings[g].levels.indices) where members(g, l) > 0 {
            guard let s = summary(l) else { return nil }
            result.append(s)
        }
        return result
    }

    /// The summary of the mean of `column` over the users of level `l` counted by `countColumn`, `nil` for none.
    func meanSummary(_ g: Int, _ l: Int, column: Int, count countColumn: Int) -> GroupSummary? {
        let m = tallies.moments(g, l, column, count: countColumn)
        return m.count > 0 ? .mean(m) : nil
    }

    /// A proportion's summary, `nil` when its denominator is 0.
    static func proportion(_ x: Double, _ n: Double) -> GroupSummary? { n > 0 ? .proportion(x, of: n) : nil }

    /// The Wald test of equal values across the eligible levels (those with at least the minimum size), for
    /// proportions insufficient when an expected count is below 5 (the large-sample condition).
    func equalityTest(_ g: Int, _ levels: [Int], proportion: Bool, _ summary: (Int) -> GroupSummary?)
        -> Significance.Outcome
    {
        var used: [GroupSummary] = []
        for l in levels {
            guard let s = summary(l), s.count > 0 else { continue }
            used.append(s)
        }
        guard used.count >= 2 else { return .insufficient(reason: "fewer than two groups large enough to test") }
        if proportion {
            let total = used.reduce(0) { $0 + $1.count }, hits = used.reduce(0) { $0 + $1.value * $1.count }
            let p = hits / total
            if hits == 0 || hits == total { return .tested(pValue: 1) }
            if let small = used.first(where: { $0.count * p < 5 || $0.count * (1 - p) < 5 }) {
                return .insufficient(reason: "expected count below 5 in a group of \(Int(small.count))")
            }
        }
        return Significance.valuesEqual(used)
    }

    /// Max − min over levels with members of per-level values in replicate `r` (`nil` when any is undefined, or
    /// fewer than two levels have members).
    func spread(_ g: Int, _ r: Int, _ value: (Int, Int) -> Double?) -> Double? {
        var values: [Double] = []
        for l in groupings[g].levels.indices where tallies.sum(r, g, l, 0) > 0 {
            guard let v = value(r, l) else { return nil }
            values.append(v)
        }
        guard values.count >= 2, let top = values.max(), let bottom = values.min() else { return nil }
        return top - bottom
    }

    mutating func addTest(_ outcome: Significance.Outcome) -> Int {
        tests.append(outcome)
        return tests.count - 1
    }

    @discardableResult
    mutating func add(_ metric: MetricDescriptor, offer: Int?, attribute g: Int, world: String? = nil,
                      value: Double?, interval method: IntervalMethod, undefined: String? = nil, tests t: [Int],
                      note: String = "", groups: [GroupValue], measure: (value: Double?, method: IntervalMethod)? = nil) -> Int {
        add(metric, offer: offer.map { engine.data.offers[$0] }, attribute: groupings[g].name, world: world,
            value: value, interval: method,
            undefined: nothingToCompare(g) ?? undefined ?? "a group's rate has an empty denominator", tests: t,
            note: note, groups: groups, measure: measure)
    }

    /// Adds a finding about `attribute` (any attribute of the world, not only a grouping of the audit) and
    /// returns its index; `extra` names it further in its id (a trait, a source, a category); `measure` is its
    /// value and interval recipe on the materiality scale when that is not its own (a rate difference's rate ratio).
    @discardableResult
    mutating func add(_ metric: MetricDescriptor, offer: String?, attribute: String, world: String? = nil,
                      extra: [String] = [], value: Double?, interval method: IntervalMethod, undefined: String,
                      tests t: [Int], note: String = "", groups: [GroupValue], measure: (value: Double?, method: IntervalMethod)? = nil) -> Int {
        append(Finding(metric, offer: offer, attribute: attribute, world: world, extra: extra, value: value,
                       interval: method, level: configuration.confidenceLevel, undefined: undefined, note: note,
                       groups: groups),
               interval: method, tests: t, measure: measure)
    }

    /// Adds a finding built elsewhere (``Finding/inference(attribute:trait:source:outcome:level:minimumGroupSize:)``)
    /// with its interval recipe and tests, and returns its index.
    @discardableResult
    mutating func append(_ finding: Finding, interval method: IntervalMethod, tests t: [Int],
                         measure: (value: Double?, method: IntervalMethod)? = nil) -> Int {
        findings.append(finding)
        findingMeasures.append(measure)
        // Which group a gap favours, in the finding itself (issue: a gap without a direction misleads).
        if finding.view == .campaign || finding.view == .recommendation {
            let rated = finding.groups.filter { !$0.small && $0.estimate.value != nil }
            if let top = rated.max(by: { $0.estimate.value! < $1.estimate.value! }),
               let bottom = rated.min(by: { $0.estimate.value! < $1.estimate.value! }),
               top.estimate.value! > bottom.estimate.value! {
                findings[findings.count - 1].favoured = top.group
                findings[findings.count - 1].leastFavoured = bottom.group
            }
        }
        findingTests.append(t)
        findingIntervals.append(method)
        return findings.count - 1
    }

    /// The metric's descriptor when the audit reports it (every view-specific metric is active by default).
    func metric(_ id: MetricID) -> MetricDescriptor? { engine.metrics.first { $0.id == id } }

    /// Names the groups whose denominator is 0, for undefined values.
    func emptyDenominators(_ groups: [GroupValue], what: String) -> String {
        let empty = groups.filter { $0.members > 0 && $0.denominator == 0 }.map { "\($0.group) (0 of \($0.members))" }
        return empty.isEmpty ? "undefined" : "undefined: no \(what) in " + empty.joined(separator: ", ")
    }

    /// Why a gap over grouping `g` cannot be computed at all, when fewer than two of its levels have members.
    func nothingToCompare(_ g: Int) -> String? {
        let levels = groupings[g].levels.indices
        guard levels.filter({ members(g, $0) > 0 }).count < 2 else { return nil }
        let absent = levels.filter { members(g, $0) == 0 }.map { groupings[g].levels[$0] }
        return "undefined: fewer than two groups have members, nothing to compare"
            + (absent.isEmpty ? "" : " (no users in " + absent.joined(separator: ", ") + ")")
    }

    // MARK: - Verdicts

    /// Holm-adjusts every p-value of the audit and gives each finding its verdict (significance, then materiality;
    /// ``Finding/conclude(pValues:holmPValue:insufficient:interval:level:family:alpha:materiality:measure:)``).
    mutating func finish() -> [Finding] {
        let tested = tests.indices.filter { if case .tested = tests[$0] { true } else { false } }
        let raw = tested.map { i -> Double in if case .tested(let p) = tests[i] { p } else { 1 } }
        let adjusted = Significance.holm(raw)
        var adjustedOf = [Int: Double]()
        for (j, i) in tested.enumerated() { adjustedOf[i] = adjusted[j] }
        for f in findings.indices {
            let ids = findingTests[f]
            let ps = ids.compactMap { i -> Double? in if case .tested(let p) = tests[i] { p } else { nil } }
            let reasons = ids.compactMap { i -> String? in
                if case .insufficient(let reason) = tests[i] { reason } else { nil }
            }
            findings[f].conclude(pValues: ps, holmPValue: ids.compactMap { adjustedOf[$0] }.min(),
                                 insufficient: reasons, interval: findingIntervals[f],
                                 level: configuration.confidenceLevel, family: tested.count,
                                 alpha: configuration.alpha,
                                 materiality: configuration.materiality(for: findings[f].metric),
                                 measure: findingMeasures[f])
        }
        return findings
    }

    /// The value of "no difference" of a metric: 1 for ratios, 0 otherwise (`nil` for a flip-rate test against
    /// a tolerance, whose null is a range).
    static func null(of metric: MetricID) -> Double? {
        let d = metric.descriptor
        if d.test == .flipRate { return 0 }
        if d.test == .aucAboveHalf || d.test == .attackAboveHalf { return 0.5 }
        return d.direction == .lowerIsWorse || d.direction == .furtherFromOneIsWorse ? 1 : 0
    }

    static func format(_ p: Double) -> String { Significance.formatted(p) }
}
