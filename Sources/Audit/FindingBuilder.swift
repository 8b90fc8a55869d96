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

    /// Max − min over levels with members of per-level values (`nil` when any is undefined).
    func spread(_ g: Int, _ r: Int, _ value: (Int, Int) -> Double?) -> Double? {
        var values: [Double] = []
        for l in groupings[g].levels.indices where tallies.sum(r, g, l, 0) > 0 {
            guard let v = value(r, l) else { return nil }
            values.append(v)
        }
        guard let top = values.max(), let bottom = values.min() else { return nil }
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
            undefinedReason: estimate.value == nil ? (undefined ?? "a group's rate has an empty denominator") : nil,
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

    // MARK: - Campaign view

    mutating func campaign() {
        for o in 0..<engine.offers {
            let lo = layout.offers[o]
            for g in groupings.indices {
                campaign(offer: o, columns: lo, grouping: g)
            }
        }
    }

    func counts(_ r: Int, _ g: Int, _ l: Int, _ c: AuditEngine.Layout.Offer) -> BinaryGroupMetrics.Counts {
        BinaryGroupMetrics.Counts(
            members: tallies.sum(r, g, l, 0), selected: tallies.sum(r, g, l, c.targeted),
            positives: c.interested.map { tallies.sum(r, g, l, $0) } ?? 0,
            truePositives: c.truePositive.map { tallies.sum(r, g, l, $0) } ?? 0)
    }

    func metrics(_ r: Int, _ g: Int, _ c: AuditEngine.Layout.Offer) -> BinaryGroupMetrics {
        BinaryGroupMetrics(groups: groupings[g].levels.indices.map { counts(r, g, $0, c) })
    }

    /// A chi-square test of one rate across the given levels.
    func rateTest(_ g: Int, _ levels: [Int], _ c: AuditEngine.Layout.Offer, _ rate: BinaryRate) -> Significance.Outcome {
        let pairs = levels.map { counts(0, g, $0, c).fraction(rate) }
        return Significance.proportionsEqual(successes: pairs.map(\.numerator), totals: pairs.map(\.denominator),
                                             names: levels.map { groupings[g].levels[$0] })
    }

    /// A chi-square test of one rate between the privileged level `p` and everyone else pooled (AIF360's split).
    func pooledRateTest(_ g: Int, privileged p: Int, _ c: AuditEngine.Layout.Offer, _ rate: BinaryRate)
        -> Significance.Outcome
    {
        guard members(g, p) >= minimum else {
            return .insufficient(reason: "privileged group has fewer than \(configuration.minimumGroupSize) users")
        }
        let rest = groupings[g].levels.indices.filter { $0 != p }.reduce(BinaryGroupMetrics.Counts()) { a, l in
            let x = counts(0, g, l, c)
            return .init(members: a.members + x.members, selected: a.selected + x.selected,
                         positives: a.positives + x.positives, truePositives: a.truePositives + x.truePositives)
        }
        let priv = counts(0, g, p, c)
        return Significance.proportionsEqual(
            successes: [rest.fraction(rate).numerator, priv.fraction(rate).numerator],
            totals: [rest.fraction(rate).denominator, priv.fraction(rate).denominator],
            names: ["unprivileged", groupings[g].levels[p]])
    }

    /// Per-level values of `rate` for the finding's group table.
    func rateValues(_ g: Int, _ c: AuditEngine.Layout.Offer, _ rate: BinaryRate) -> [GroupValue] {
        groupValues(g, numerator: { [self] r, l in counts(r, g, l, c).fraction(rate).numerator },
                    denominator: { [self] r, l in counts(r, g, l, c).fraction(rate).denominator })
    }

    /// Every active campaign metric of one offer and grouping, from its descriptor: the statistic on each
    /// replicate's counts, the tests (shared between metrics of the same rates), the group table and the reason
    /// a value is undefined.
    mutating func campaign(offer o: Int, columns c: AuditEngine.Layout.Offer, grouping g: Int) {
        let (levels, note) = eligible(g)
        let privileged = groupings[g].privileged
        // AIF360 compares the privileged level with everyone else: with two levels that is the ordinary test.
        let pooled = (groupings[g].levels.count > 2) ? privileged : nil
        var testOf: [String: Int] = [:]
        func test(_ rate: BinaryRate, pooled p: Int?) -> Int {
            let key = rate.rawValue + (p.map { "/\($0)" } ?? "")
            if let t = testOf[key] { return t }
            let t = addTest(p.map { pooledRateTest(g, privileged: $0, c, rate) } ?? rateTest(g, levels, c, rate))
            testOf[key] = t
            return t
        }
        for metric in engine.metrics where metric.view == .campaign {
            if metric.columns.contains(.interest) && c.interested == nil { continue }
            if metric.needsPrivileged && privileged == nil { continue }
            guard case .rates(let rates) = metric.test else { continue }
            let p = metric.needsPrivileged ? pooled : nil
            let tests = rates.map { test($0, pooled: p) }
            let groups = metric.groupRate.map { rateValues(g, c, $0) } ?? []
            let undefined: String?
            switch metric.undefined {
            case .fixed(let text): undefined = text
            case .emptyDenominators(let rates, let what):
                undefined = emptyDenominators(rates.flatMap { rateValues(g, c, $0) }, what: what)
            }
            let statistic = metric.statistic
            add(metric, offer: o, attribute: g,
                estimate: estimate { statistic.value(metrics($0, g, c), privileged: privileged) },
                undefined: undefined, tests: tests, note: note, groups: groups)
        }
    }

    // MARK: - Recommendation view

    mutating func recommendation() {
        for g in groupings.indices {
            let (levels, note) = eligible(g)
            for o in 0..<engine.offers {
                let c = layout.offers[o]
                if let exposed = c.exposed, let metric = metric("exposure_rate_difference") {
                    let rate = groupValues(g, numerator: { [tallies] r, l in tallies.sum(r, g, l, exposed) },
                                           denominator: { [tallies] r, l in tallies.sum(r, g, l, 0) })
                    let rateTest = addTest(Significance.proportionsEqual(
                        successes: levels.map { tallies.sum(0, g, $0, exposed) }, totals: levels.map { members(g, $0) },
                        names: levels.map { groupings[g].levels[$0] }))
                    add(metric, offer: o, attribute: g, estimate: estimate { r in
                        spread(g, r) { r, l in tallies.sum(r, g, l, exposed) / tallies.sum(r, g, l, 0) }
                    }, tests: [rateTest], note: note, groups: rate)
                }
                if let position = c.position, let metric = metric("exposure_difference") {
                    let values = groupValues(g, numerator: { [tallies] r, l in tallies.sum(r, g, l, position) },
                                             denominator: { [tallies] r, l in tallies.sum(r, g, l, 0) })
                    let positionTest = addTest(Significance.meansEqual(
                        levels.map { tallies.moments(g, $0, position, count: 0) },
                        names: levels.map { groupings[g].levels[$0] }))
                    add(metric, offer: o, attribute: g, estimate: estimate { r in
                        spread(g, r) { r, l in tallies.sum(r, g, l, position) / tallies.sum(r, g, l, 0) }
                    }, tests: [positionTest], note: note, groups: values)
                }
            }
            guard let d = layout.ndcgDefined, let v = layout.ndcg, let metric = metric("ndcg_difference") else { continue }
            let ndcg = groupValues(g, numerator: { [tallies] r, l in tallies.sum(r, g, l, v) },
                                   denominator: { [tallies] r, l in tallies.sum(r, g, l, d) })
            let defined = levels.filter { tallies.sum(0, g, $0, d) >= 2 }
            let test = addTest(Significance.meansEqual(
                defined.map { tallies.moments(g, $0, v, count: d) }, names: defined.map { groupings[g].levels[$0] }))
            add(metric, offer: nil, attribute: g, estimate: estimate { r in
                spread(g, r) { r, l in
                    let count = tallies.sum(r, g, l, d)
                    return count > 0 ? tallies.sum(r, g, l, v) / count : nil
                }
            }, undefined: emptyDenominators(ndcg, what: "users with a truly interesting offer"), tests: [test],
                note: note, groups: ndcg)
        }
    }

    // MARK: - Counterfactual tests

    mutating func counterfactual(_ w: Int, _ world: CounterfactualWorld, deltas: AuditEngine.Columns.World)
        -> CounterfactualSummary
    {
        let g = world.attribute
        let lw = layout.worlds[w]
        let name = world.name(engine.data.attributes)
        let levels = groupings[g].levels.indices.filter { $0 != world.level }
        let a = lw.affected
        func total(_ r: Int, _ column: Int) -> Double { levels.reduce(0) { $0 + tallies.sum(r, g, $1, column) } }
        let affected = total(0, a)
        func share(_ column: Int) -> Estimate {
            estimate { r in
                let d = total(r, a)
                return d > 0 ? total(r, column) / d : nil
            }
        }
        var offers: [CounterfactualSummary.Offer] = []
        for o in 0..<engine.offers {
            let c = lw.offers[o]
            let up = Int(total(0, c.up)), down = Int(total(0, c.down))
            let byGroup = groupValues(g, numerator: { [tallies] r, l in tallies.sum(r, g, l, c.up) + tallies.sum(r, g, l, c.down) },
                                      denominator: { [tallies] r, l in tallies.sum(r, g, l, a) })
                .filter { $0.group != groupings[g].levels[world.level] }
            let flipRate = estimate { r in
                let d = total(r, a)
                return d > 0 ? (total(r, c.up) + total(r, c.down)) / d : nil
            }
            let flipTest = addTest(affected > 0 ? .tested(pValue: Significance.mcNemar(up: up, down: down))
                                   : .insufficient(reason: "no user's attribute changes in this world"))
            if let metric = metric("counterfactual_flip_rate") {
                add(metric, offer: o, attribute: g, world: name, estimate: flipRate,
                    undefined: "undefined: no affected users", tests: [flipTest],
                    note: "; \(up) users targeted only as their twin, \(down) only as themselves", groups: byGroup)
            }
            var exposureChange: Estimate?
            if let exposureUp = c.exposureUp, let exposureDown = c.exposureDown,
               let metric = metric("counterfactual_exposure_change") {
                let change = estimate { r in
                    let d = total(r, a)
                    return d > 0 ? (total(r, exposureUp) - total(r, exposureDown)) / d : nil
                }
                exposureChange = change
                let eu = Int(total(0, exposureUp)), ed = Int(total(0, exposureDown))
                let exposureTest = addTest(affected > 0 ? .tested(pValue: Significance.mcNemar(up: eu, down: ed))
                                           : .insufficient(reason: "no user's attribute changes in this world"))
                add(metric, offer: o, attribute: g, world: name, estimate: change,
                    undefined: "undefined: no affected users", tests: [exposureTest],
                    note: "; offer enters \(eu) twins' top-\(configuration.k) and leaves \(ed)", groups: [])
            }
            var changes: [Double] = []
            for u in 0..<engine.n where deltas.affected[u] { changes.append(Double(deltas.delta[u * engine.offers + o])) }
            changes.sort()
            offers.append(CounterfactualSummary.Offer(
                offer: engine.data.offers[o], flipUp: share(c.up), flipDown: share(c.down), flipRate: flipRate,
                flipsUp: up, flipsDown: down, exposureChange: exposureChange,
                scoreDelta: share(c.delta),
                scoreDeltaQuantiles: changes.isEmpty ? [] : [0.05, 0.25, 0.5, 0.75, 0.95].map { Self.quantile(changes, $0) },
                byGroup: byGroup))
        }
        return CounterfactualSummary(
            world: name, kind: world.kind, attribute: groupings[g].name, level: groupings[g].levels[world.level],
            kept: world.kept, affected: Int(affected), topKJaccard: lw.jaccard.map { share($0) },
            offers: offers)
    }

    // MARK: - Attribution

    func attribution() -> [Attribution] {
        var result: [Attribution] = []
        for o in 0..<engine.offers {
            let c = layout.offers[o]
            guard let truthSelected = c.truthSelected, let observedSelected = c.observedSelected else { continue }
            for g in groupings.indices {
                func rate(_ column: Int) -> (Int, Int) -> Double? {
                    { r, l in
                        let m = tallies.sum(r, g, l, 0)
                        return m > 0 ? tallies.sum(r, g, l, column) / m : nil
                    }
                }
                let truth = rate(truthSelected), observed = rate(observedSelected), model = rate(c.targeted)
                let rows = groupings[g].levels.indices.map { l in
                    Attribution.Row(group: groupings[g].levels[l], members: Int(members(g, l)),
                                    truth: estimate { truth($0, l) }, observed: estimate { observed($0, l) },
                                    model: estimate { model($0, l) })
                }
                func gap(_ r: Int, _ f: (Int, Int) -> Double?) -> Double? { spread(g, r, f) }
                func increment(_ r: Int, _ a: (Int, Int) -> Double?, _ b: (Int, Int) -> Double?) -> Double? {
                    guard let x = gap(r, a), let y = gap(r, b) else { return nil }
                    return x - y
                }
                result.append(Attribution(
                    offer: engine.data.offers[o], attribute: groupings[g].name, groups: rows,
                    truthGap: estimate { gap($0, truth) }, observedGap: estimate { gap($0, observed) },
                    modelGap: estimate { gap($0, model) },
                    addedByData: estimate { increment($0, observed, truth) },
                    addedByModel: estimate { increment($0, model, observed) }))
            }
        }
        return result
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
                finding.reason = (q < alpha
                    ? "groups differ: p = \(Self.format(p)), Holm-adjusted \(Self.format(q)) < \(alpha)"
                    : "no evidence of a difference: Holm-adjusted p = \(Self.format(q)) ≥ \(alpha)") + note
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
