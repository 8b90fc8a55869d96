#if canImport(Glibc)
internal import Glibc
#endif

/// Turns per-group sums into findings: values, percentile intervals, tests, and (at the end) Holm verdicts.
struct FindingBuilder {
    let engine: AuditEngine
    let tallies: Tallies
    let layout: AuditEngine.Layout
    var findings: [Finding] = []
    var findingTests: [[Int]] = []
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

    /// The statistic on the data and its bias-corrected percentile bootstrap interval (Efron 1981): the
    /// percentiles are shifted by z₀ = Φ⁻¹(share of replicates below the estimate), which keeps the interval
    /// around the estimate for statistics such as max − min whose replicates sit on one side of it. Undefined when
    /// more than 10% of the replicates are.
    func estimate(_ statistic: (Int) -> Double?) -> Estimate {
        guard let value = statistic(0) else { return Estimate(value: nil) }
        var replicated: [Double] = []
        replicated.reserveCapacity(tallies.replicates)
        for r in 1...tallies.replicates { if let v = statistic(r) { replicated.append(v) } }
        guard Double(replicated.count) >= 0.9 * Double(tallies.replicates) else { return Estimate(value: value) }
        replicated.sort()
        let b = Double(replicated.count)
        let below = Double(replicated.count { $0 < value }) + 0.5 * Double(replicated.count { $0 == value })
        let z0 = Significance.normalQuantile(min(max(below / b, 0.5 / b), 1 - 0.5 / b))
        let z = Significance.normalQuantile((1 + configuration.confidenceLevel) / 2)
        let low = Significance.normalCDF(2 * z0 - z), high = Significance.normalCDF(2 * z0 + z)
        return Estimate(value: value, lower: Self.quantile(replicated, low), upper: Self.quantile(replicated, high))
    }

    /// The q-quantile of sorted values, linear between order statistics (NumPy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = q * Double(sorted.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
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

    /// Per-level values of a ratio `numerator / denominator` (both functions of replicate and level).
    func groupValues(_ g: Int, numerator: @escaping (Int, Int) -> Double, denominator: @escaping (Int, Int) -> Double)
        -> [GroupValue]
    {
        groupings[g].levels.indices.map { l in
            let den = denominator(0, l)
            return GroupValue(
                group: groupings[g].levels[l], members: Int(members(g, l)), numerator: numerator(0, l),
                denominator: den,
                estimate: estimate { r in
                    let d = denominator(r, l)
                    return d > 0 ? numerator(r, l) / d : nil
                },
                small: members(g, l) < minimum)
        }
    }

    /// Max − min over levels with members of per-level values (`nil` when any is undefined, or fewer than two
    /// levels have members).
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

    mutating func add(_ metric: MetricDescriptor, offer: Int?, attribute g: Int, world: String? = nil,
                      estimate: Estimate, undefined: String? = nil, tests t: [Int], note: String = "",
                      groups: [GroupValue]) {
        let view = metric.view.rawValue
        findings.append(Finding(
            id: [view, offer.map { engine.data.offers[$0] }, groupings[g].name, world, metric.name]
                .compactMap { $0 }.joined(separator: "/"),
            view: view, offer: offer.map { engine.data.offers[$0] }, attribute: groupings[g].name, world: world,
            metric: metric.name, convention: metric.convention.rawValue, estimate: estimate,
            undefinedReason: estimate.value == nil
                ? (nothingToCompare(g) ?? undefined ?? "a group's rate has an empty denominator") : nil,
            pValue: nil, adjustedPValue: nil, verdict: .insufficientData, reason: note, groups: groups))
        findingTests.append(t)
    }

    /// The active metric named `name` (every view-specific metric is active by default).
    func metric(_ name: String) -> MetricDescriptor? { engine.metrics.first { $0.name == name } }

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

    /// Holm-adjusts every p-value of the audit and gives each finding its verdict.
    mutating func finish() -> [Finding] {
        let tested = tests.indices.filter { if case .tested = tests[$0] { true } else { false } }
        let raw = tested.map { i -> Double in if case .tested(let p) = tests[i] { p } else { 1 } }
        let adjusted = Significance.holm(raw)
        var adjustedOf = [Int: Double]()
        for (j, i) in tested.enumerated() { adjustedOf[i] = adjusted[j] }
        let alpha = configuration.alpha
        for f in findings.indices {
            let ids = findingTests[f]
            let ps = ids.compactMap { i -> Double? in if case .tested(let p) = tests[i] { p } else { nil } }
            let reasons = ids.compactMap { i -> String? in
                if case .insufficient(let reason) = tests[i] { reason } else { nil }
            }
            var finding = findings[f]
            let note = finding.reason
            if finding.estimate.value == nil {
                finding.verdict = .insufficientData
                finding.reason = (finding.undefinedReason ?? "undefined") + note
            } else if ps.isEmpty {
                finding.verdict = .insufficientData
                finding.reason = (reasons.first ?? "no test applies") + note
            } else {
                let p = ps.min()!, q = ids.compactMap { adjustedOf[$0] }.min()!
                finding.pValue = p
                finding.adjustedPValue = q
                finding.verdict = q < alpha ? .disparity : .noEvidence
                let test = MetricDescriptor.named(finding.metric)?.test
                finding.test = test?.shortName
                func shown(_ x: Double) -> String { x < 1e-16 ? "< 1e-16" : "= " + Self.format(x) }
                let by = test.map { " (\($0.description))" } ?? ""
                finding.reason = (q < alpha
                    ? "groups differ\(by): p \(shown(p)), Holm-adjusted p \(shown(q)), below α = \(alpha)"
                    : "no evidence of a difference\(by): Holm-adjusted p \(shown(q)) ≥ α = \(alpha)") + note
            }
            findings[f] = finding
        }
        return findings
    }

    static func format(_ p: Double) -> String {
        if p == 0 { return "0" }
        if p < 1e-4 {
            let exponent = Int((log10(p)).rounded(.down))
            let mantissa = p / pow(10, Double(exponent))
            return "\((mantissa * 10).rounded() / 10)e\(exponent)"
        }
        return "\((p * 10_000).rounded() / 10_000)"
    }
}
