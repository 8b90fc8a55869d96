#if canImport(Glibc)
internal import Glibc
#endif

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
        // Each rate's group table (with its bootstrap intervals) is computed once and shared by the metrics.
        var valuesOf: [BinaryRate: [GroupValue]] = [:]
        func values(_ rate: BinaryRate) -> [GroupValue] {
            if let v = valuesOf[rate] { return v }
            let v = rateValues(g, c, rate)
            valuesOf[rate] = v
            return v
        }
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
            let groups = metric.groupRate.map(values) ?? []
            let undefined: String?
            switch metric.undefined {
            case .fixed(let text): undefined = text
            case .emptyDenominators(let rates, let what):
                undefined = emptyDenominators(rates.flatMap(values), what: what)
            }
            let statistic = metric.statistic
            add(metric, offer: o, attribute: g,
                estimate: estimate { statistic.value(metrics($0, g, c), privileged: privileged) },
                undefined: undefined, tests: tests, note: note, groups: groups)
        }
    }
}
