#if canImport(Glibc)
internal import Glibc
#endif
import Statistics

/// The campaign view: every active campaign metric per offer and grouping, from its descriptor.
extension FindingBuilder {
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

    /// The groups' counts in replicate `r`: every level, or only `levels`.
    func metrics(_ r: Int, _ g: Int, _ c: AuditEngine.Layout.Offer, levels: [Int]? = nil) -> BinaryGroupMetrics {
        BinaryGroupMetrics(groups: (levels ?? Array(groupings[g].levels.indices)).map { counts(r, g, $0, c) })
    }

    /// One level's summary of `rate` in the data, `nil` when its denominator is 0.
    func rateSummary(_ g: Int, _ l: Int, _ c: AuditEngine.Layout.Offer, _ rate: BinaryRate) -> GroupSummary? {
        let (x, n) = counts(0, g, l, c).fraction(rate)
        return Self.proportion(x, n)
    }

    /// AIF360's two sides of `rate`: everyone outside the privileged level `p` pooled, and `p`.
    func pooledSummaries(_ g: Int, privileged p: Int, _ c: AuditEngine.Layout.Offer, _ rate: BinaryRate)
        -> (unprivileged: GroupSummary, privileged: GroupSummary)?
    {
        let (u, q) = metrics(0, g, c).split(privileged: p)
        let (ux, un) = u.fraction(rate), (px, pn) = q.fraction(rate)
        guard let a = Self.proportion(ux, un), let b = Self.proportion(px, pn) else { return nil }
        return (a, b)
    }

    /// The Wald test of one rate between the privileged level `p` and everyone else pooled (AIF360's split).
    func pooledRateTest(_ g: Int, privileged p: Int, _ c: AuditEngine.Layout.Offer, _ rate: BinaryRate)
        -> Significance.Outcome
    {
        guard members(g, p) >= minimum else {
            return .insufficient(reason: "privileged group has fewer than \(configuration.minimumGroupSize) users")
        }
        let sides = pooledSummaries(g, privileged: p, c, rate).map { [$0.unprivileged, $0.privileged] } ?? []
        return equalityTest(g, Array(sides.indices), proportion: true) { sides[$0] }
    }

    /// The interval construction of a campaign statistic on the data of one offer and grouping (over `levels`
    /// only, when given: the symmetric statistics' groups).
    func intervalMethod(_ statistic: MetricDescriptor.Statistic, _ g: Int, _ c: AuditEngine.Layout.Offer,
                        privileged: Int?, levels: [Int]? = nil) -> IntervalMethod {
        func groups(_ rate: BinaryRate) -> [GroupSummary]? {
            summaries(g, levels: levels) { rateSummary(g, $0, c, rate) }
        }
        func pooled(_ rate: BinaryRate) -> (unprivileged: GroupSummary, privileged: GroupSummary)? {
            privileged.flatMap { pooledSummaries(g, privileged: $0, c, rate) }
        }
        switch statistic {
        case .difference(let rate, .betweenGroups): return groups(rate).map { .spread($0) } ?? .none
        case .difference(let rate, .toOverall): return groups(rate).map { .spreadToOverall($0) } ?? .none
        case .ratio(let rate, .betweenGroups): return groups(rate).map { .minOverMax($0) } ?? .none
        case .ratio(let rate, .toOverall): return groups(rate).map { .ratioToOverall($0) } ?? .none
        case .equalizedOddsDifference:
            guard let t = groups(.truePositiveRate), let f = groups(.falsePositiveRate) else { return .none }
            return .worstOf(.spread(t), .spread(f), larger: true)
        case .equalizedOddsRatio:
            guard let t = groups(.truePositiveRate), let f = groups(.falsePositiveRate) else { return .none }
            return .worstOf(.minOverMax(t), .minOverMax(f), larger: false)
        case .directionalDifference(let rate):
            guard let (u, p) = pooled(rate) else { return .none }
            return .normal(value: u.value - p.value, error: (u.variance + p.variance).squareRoot())
        case .directionalRatio(let rate):
            guard let (u, p) = pooled(rate) else { return .none }
            return .fieller(u, p)
        case .averageOddsDifference:
            guard let (tu, tp) = pooled(.truePositiveRate), let (fu, fp) = pooled(.falsePositiveRate) else {
                return .none
            }
            let value = ((fu.value - fp.value) + (tu.value - tp.value)) / 2
            return .normal(value: value,
                           error: (tu.variance + tp.variance + fu.variance + fp.variance).squareRoot() / 2)
        case .viewSpecific: return .none
        }
    }

    /// Per-level values of `rate` for the finding's group table.
    func rateValues(_ g: Int, _ c: AuditEngine.Layout.Offer, _ rate: BinaryRate) -> [GroupValue] {
        rateValues(g, numerator: { [self] l in counts(0, g, l, c).fraction(rate).numerator },
                   denominator: { [self] l in counts(0, g, l, c).fraction(rate).denominator })
    }

    /// Every active campaign metric of one offer and grouping, from its descriptor: the statistic and its
    /// interval, the tests (shared between metrics of the same rates), the group table and the reason a value is
    /// undefined.
    mutating func campaign(offer o: Int, columns c: AuditEngine.Layout.Offer, grouping g: Int) {
        let (levels, note) = eligible(g)
        let privileged = groupings[g].privileged
        // AIF360 compares the privileged level with everyone else: with two levels that is the ordinary test.
        let pooled = (groupings[g].levels.count > 2) ? privileged : nil
        var testOf: [String: Int] = [:]
        // Each rate's group table is computed once and shared by the metrics.
        var valuesOf: [BinaryRate: [GroupValue]] = [:]
        func values(_ rate: BinaryRate) -> [GroupValue] {
            if let v = valuesOf[rate] { return v }
            let v = rateValues(g, c, rate)
            valuesOf[rate] = v
            return v
        }
        func test(_ key: String, _ outcome: () -> Significance.Outcome) -> Int {
            if let t = testOf[key] { return t }
            let t = addTest(outcome())
            testOf[key] = t
            return t
        }
        func test(_ rate: BinaryRate, pooled p: Int?) -> Int {
            test(rate.rawValue + (p.map { "/\($0)" } ?? "")) {
                p.map { pooledRateTest(g, privileged: $0, c, rate) }
                    ?? equalityTest(g, levels, proportion: true) { rateSummary(g, $0, c, rate) }
            }
        }
        for metric in engine.metrics where metric.view == .campaign {
            if metric.columns.contains(.interest) && c.interested == nil { continue }
            if metric.needsPrivileged && privileged == nil { continue }
            let statistic = metric.statistic
            let value = statistic.value(metrics(0, g, c), privileged: privileged)
            let method = value == nil ? .none : intervalMethod(statistic, g, c, privileged: privileged)
            let tests: [Int]
            switch metric.test {
            case .rates(let rates):
                let p = metric.needsPrivileged ? pooled : nil
                tests = rates.map { test($0, pooled: p) }
            case .signedStatistic:
                tests = [test(metric.name) {
                    guard let p = privileged, case .normal(let v, let e) = method else {
                        return .insufficient(reason: "the statistic is undefined")
                    }
                    let rest = groupings[g].levels.indices.filter { $0 != p }.reduce(0) { $0 + members(g, $1) }
                    guard members(g, p) >= minimum, rest >= minimum else {
                        return .insufficient(reason: "a side has fewer than \(configuration.minimumGroupSize) users")
                    }
                    return Significance.isZero(value: v, error: e)
                }]
            default: continue
            }
            let groups = metric.groupRate.map(values) ?? []
            let undefined: String?
            switch metric.undefined {
            case .fixed(let text): undefined = text
            case .emptyDenominators(let rates, let what):
                undefined = emptyDenominators(rates.flatMap(values), what: what)
            }
            // A rate metric is judged material on the ratio of its rates, whatever form it reports, over the groups
            // its test compares (a group below the minimum size, left out of the test, cannot make it material).
            var measure: (value: Double?, method: IntervalMethod)?
            if metric.materiality.scale == .rateRatio, let ratio = statistic.ratioCompanion {
                let tested: [Int]? = metric.needsPrivileged ? nil : levels
                let r = ratio.value(metrics(0, g, c, levels: tested),
                                    privileged: privileged.flatMap { p in tested.map { $0.firstIndex(of: p) } ?? p })
                measure = (r, r == nil ? .none : intervalMethod(ratio, g, c, privileged: privileged, levels: tested))
            }
            add(metric, offer: o, attribute: g, value: value, interval: method, undefined: undefined, tests: tests,
                note: note, groups: groups, measure: measure)
        }
    }
}
