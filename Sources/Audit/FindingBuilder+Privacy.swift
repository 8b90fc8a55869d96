#if canImport(Glibc)
internal import Glibc
#endif
import Statistics
import Linear

/// The privacy view: who opted out and what it costs them, how the consenting-only view biases the campaign
/// metrics, what user factors and raw interactions reveal about protected and sensitive traits, and whether the
/// lists themselves reveal a sensitive trait — and, given a non-member world, whether an attacker can tell the
/// users the model was trained on from others.
extension FindingBuilder {
    /// Adds the privacy findings and returns the view's tables.
    mutating func privacy(_ p: PrivacyData) -> PrivacySummary {
        var summary = PrivacySummary(
            consentAttribute: p.consentAttribute, optedOut: p.consent.map { $0.filter { !$0 }.count },
            optedOutServing: p.consent == nil ? "not applicable"
                : p.optedOutList == nil ? "personalised" : "non-personalised",
            probedUsers: p.probedRows?.count ?? engine.n, sensitiveCategories: p.sensitiveCategories.map(\.name),
            groups: [], optOutBias: [], warnings: [])
        if p.consent != nil && p.optedOutList == nil && engine.data.lists != nil {
            summary.warnings.append(
                "opted-out users are served personalised lists: the model under audit does not honour consent "
                    + "(trained with --consent ignore, or on data without the consent column), so their data shape "
                    + "what they and everyone else are shown")
        }
        if let lc = layout.consent {
            consentFindings(lc, honoured: p.optedOutList != nil, summary: &summary)
            optOutBias(lc, summary: &summary)
        }
        inference(p)
        sensitiveExposure(p)
        if let evidence = p.membership {
            membership(evidence)
            summary.membership = evidence
        }
        return summary
    }

    // MARK: - Consent

    /// Opt-out share and the NDCG cost of opting out, per grouping.
    mutating func consentFindings(_ lc: AuditEngine.Layout.Consent, honoured: Bool, summary: inout PrivacySummary) {
        for g in groupings.indices {
            let (levels, note) = eligible(g)
            if let metric = metric(.optOutRateDifference) {
                let rate = rateValues(g, numerator: { [tallies] l in tallies.sum(0, g, l, lc.optedOut) },
                                      denominator: { [self] l in members(g, l) })
                let share = { [self] (l: Int) in Self.proportion(tallies.sum(0, g, l, lc.optedOut), members(g, l)) }
                let test = addTest(equalityTest(g, levels, proportion: true, share))
                let groups = summaries(g, share)
                add(metric, offer: nil, attribute: g, value: groups.flatMap(Self.spreadValue),
                    interval: groups.map { .spread($0) } ?? .none, tests: [test], note: note, groups: rate)
            }
            if let defined = lc.optedOutNdcgDefined, let cost = lc.optedOutCost,
               let metric = metric(.optOutNDCGCostDifference) {
                let values = meanValues(g, column: cost, count: defined)
                let mean = { [self] l in meanSummary(g, l, column: cost, count: defined) }
                let testable = levels.filter { tallies.sum(0, g, $0, defined) >= 2 }
                let test = addTest(honoured
                    ? equalityTest(g, testable, proportion: false, mean)
                    : .insufficient(reason: "opted-out users are served personalised lists: opting out costs nothing to compare"))
                let groups = summaries(g, mean)
                add(metric, offer: nil, attribute: g, value: groups.flatMap(Self.spreadValue),
                    interval: groups.map { .spread($0) } ?? .none,
                    undefined: "no opted-out users with a truly interesting offer in a group", tests: [test], note: note,
                    groups: values)
            }
            for l in groupings[g].levels.indices where members(g, l) > 0 {
                /// A mean NDCG with its normal interval, within [0, 1] where NDCG lives.
                func mean(_ column: Int?, _ count: Int?) -> Estimate {
                    guard let column, let count else { return Estimate(value: nil) }
                    let m = tallies.moments(g, l, column, count: count)
                    guard m.count > 0 else { return Estimate(value: nil) }
                    let s = GroupSummary.mean(m)
                    let e = interval(s.value, .normal(value: s.value, error: s.variance.squareRoot()))
                    return Estimate(value: e.value, lower: e.lower.map { max(0, $0) }, upper: e.upper.map { min(1, $0) })
                }
                let x = tallies.sum(0, g, l, lc.optedOut), n = members(g, l)
                summary.groups.append(.init(
                    attribute: groupings[g].name, group: groupings[g].levels[l], members: Int(n),
                    optedOutShare: interval(x / n, .wilson(successes: x, trials: n)),
                    consentingNDCG: mean(lc.consentingNdcg, lc.consentingNdcgDefined),
                    optedOutServedNDCG: mean(lc.optedOutServed, lc.optedOutNdcgDefined),
                    optedOutPersonalisedNDCG: mean(lc.optedOutNdcg, lc.optedOutNdcgDefined)))
            }
        }
    }

    /// The consenting users' counts of one level and offer in replicate `r`.
    func consentingCounts(_ r: Int, _ g: Int, _ l: Int, _ c: AuditEngine.Layout.Consent, offer o: Int)
        -> BinaryGroupMetrics.Counts
    {
        let co = c.offers[o]
        return BinaryGroupMetrics.Counts(
            members: tallies.sum(r, g, l, c.consenting), selected: tallies.sum(r, g, l, co.targeted),
            positives: co.interested.map { tallies.sum(r, g, l, $0) } ?? 0,
            truePositives: co.truePositive.map { tallies.sum(r, g, l, $0) } ?? 0)
    }

    /// Every active campaign metric on consenting users minus its value on everyone, with a bootstrap interval
    /// and z-test: how far an auditor who sees only consenting users is off.
    mutating func optOutBias(_ lc: AuditEngine.Layout.Consent, summary: inout PrivacySummary) {
        guard let bias = metric(.optOutBias) else { return }
        for o in 0..<engine.offers {
            let c = layout.offers[o]
            for g in groupings.indices {
                let privileged = groupings[g].privileged
                let levels = groupings[g].levels.indices
                for metric in engine.metrics where metric.view == .campaign {
                    if metric.columns.contains(.interest) && c.interested == nil { continue }
                    if metric.needsPrivileged && privileged == nil { continue }
                    let statistic = metric.statistic
                    let consenting = { [self] (r: Int) in
                        statistic.value(BinaryGroupMetrics(groups: levels.map { consentingCounts(r, g, $0, lc, offer: o) }),
                                        privileged: privileged)
                    }
                    let everyone = { [self] (r: Int) in statistic.value(metrics(r, g, c), privileged: privileged) }
                    let difference = { (r: Int) -> Double? in
                        guard let a = consenting(r), let b = everyone(r) else { return nil }
                        return a - b
                    }
                    let fit = bootstrapMethod(difference)
                    let outcome: Significance.Outcome
                    if let fit, case .normal(let value, let error) = fit.method {
                        outcome = Significance.isZero(value: value, error: error)
                    } else {
                        outcome = .insufficient(reason: "the metric is undefined on consenting users or on too many "
                                                + "bootstrap replicates")
                    }
                    let test = addTest(outcome)
                    let i = add(bias, offer: engine.data.offers[o], attribute: groupings[g].name,
                                extra: [metric.name], value: fit?.value, interval: fit?.method ?? .none,
                                undefined: "undefined: \(metric.name) is undefined on consenting users or on everyone",
                                tests: [test], groups: [])
                    findings[i].basis = metric.id
                    summary.optOutBias.append(.init(
                        offer: engine.data.offers[o], attribute: groupings[g].name, metric: metric.id,
                        everyone: everyone(0), consentingOnly: consenting(0), bias: findings[i].estimate))
                }
            }
        }
    }

    // MARK: - Inference

    /// `inference_auc` for every trait and source: cross-fitted probes, DeLong's test of AUC > 0.5 (the findings
    /// `fairground probe` writes too: ``Finding/inference(attribute:trait:source:outcome:level:minimumGroupSize:)``).
    mutating func inference(_ p: PrivacyData) {
        guard metric(.inferenceAUC) != nil else { return }
        let rows = p.probedRows
        var probe = p.probe
        probe.level = configuration.confidenceLevel
        let features = p.sources.map { InferenceProbe.features($0.features, rows: rows) }
        let labels = p.traits.map { t in rows.map { $0.map { t.labels[$0] } } ?? t.labels }
        // Every (source, trait) probe is independent: run them in parallel, then add them in order.
        let traits = p.traits.count, fixed = probe
        let outcomes = ParallelBlocks.map(count: p.sources.count * traits, threads: engine.threads) { j in
            fixed.probe(features: features[j / traits], labels: labels[j % traits])
        }
        for (j, outcome) in outcomes.enumerated() {
            let source = p.sources[j / traits], trait = p.traits[j % traits]
            let probe = Finding.inference(attribute: trait.attribute, trait: trait.trait, source: source.name,
                                          outcome: outcome, level: configuration.confidenceLevel,
                                          minimumGroupSize: configuration.minimumGroupSize)
            append(probe.finding, interval: probe.interval, tests: [addTest(probe.test)])
        }
    }

    // MARK: - Membership

    /// `membership_auc` (DeLong's one-sided test that the attack's AUC exceeds 0.5, logit-scale interval at the
    /// audit's level; in the Holm family, so adding it moves every other Holm-adjusted p-value) and
    /// `empirical_epsilon` (the attack's lower bound on ε, `[bound, ∞)`; not a test, not in the family), both
    /// `privacy/membership/<metric>/<variant>`.
    mutating func membership(_ m: MembershipEvidence) {
        let sampled = [
            GroupValue(group: "members", members: m.sampled, numerator: 0, denominator: 0,
                       estimate: Estimate(value: nil), small: Double(m.sampled) < minimum),
            GroupValue(group: "non-members", members: m.sampled, numerator: 0, denominator: 0,
                       estimate: Estimate(value: nil), small: Double(m.sampled) < minimum),
        ]
        if let metric = metric(.membershipAUC) {
            let method = IntervalMethod.auc(area: m.area, error: m.standardError)
            let test = addTest(m.pValue.isFinite ? .tested(pValue: m.pValue)
                               : .insufficient(reason: "the attack's scores do not vary"))
            let i = add(metric, offer: nil, attribute: "membership", extra: [m.variant], value: m.area,
                        interval: method, undefined: "undefined: the attack scored no users", tests: [test],
                        groups: sampled)
            findings[i].source = m.variant
        }
        if let metric = metric(.empiricalEpsilon) {
            /// The evaluation half's flagged share (its Clopper–Pearson bound is in the evidence).
            func flagged(_ name: String, _ x: Int, _ n: Int) -> GroupValue {
                GroupValue(group: name, members: n, numerator: Double(x), denominator: Double(n),
                           estimate: Estimate(value: n > 0 ? Double(x) / Double(n) : nil), small: Double(n) < minimum)
            }
            let note = m.promisedEpsilon.map { promised in
                "; the model promises ε = \(FindingBuilder.format(promised)) at δ = "
                    + "\(FindingBuilder.format(m.promisedDelta ?? 0))"
                    + (m.breaksPromise ? ", which the bound exceeds" : ", which the bound does not exceed")
            } ?? ""
            let i = add(metric, offer: nil, attribute: "membership", extra: [m.variant], value: m.epsilon,
                        interval: .none, undefined: "undefined", tests: [], note: note, groups: [
                            flagged("members flagged", m.truePositives, m.evaluationMembers),
                            flagged("non-members flagged", m.falsePositives, m.evaluationNonMembers),
                        ])
            // One-sided: the bound is the interval's only end.
            findings[i].estimate.lower = m.epsilon
            findings[i].interval = "Clopper–Pearson, one-sided"
            findings[i].source = m.variant
        }
    }

    // MARK: - Sensitive exposure

    /// For every sensitive category and sensitive trait: the share of users with the trait shown the category in
    /// the list they are served, minus the share of those without it.
    mutating func sensitiveExposure(_ p: PrivacyData) {
        guard let metric = metric(.sensitiveExposureRateDifference), let lists = engine.data.lists else { return }
        let k = lists.k, n = engine.n
        for category in p.sensitiveCategories {
            var shown = [Bool](repeating: false, count: n)
            let servedShows = p.optedOutList.map { list in list.contains { $0 >= 0 && category.items[Int($0)] } }
            for u in 0..<n {
                if let consent = p.consent, !consent[u], let servedShows {
                    shown[u] = servedShows
                } else {
                    shown[u] = lists.items[(u * k)..<((u + 1) * k)].contains { $0 >= 0 && category.items[Int($0)] }
                }
            }
            for trait in p.traits where trait.isSensitive {
                var with = (x: 0.0, n: 0.0), without = (x: 0.0, n: 0.0)
                for u in 0..<n {
                    if trait.labels[u] {
                        with.n += 1
                        if shown[u] { with.x += 1 }
                    } else {
                        without.n += 1
                        if shown[u] { without.x += 1 }
                    }
                }
                var value: Double?, method = IntervalMethod.none
                let outcome: Significance.Outcome
                if with.n >= minimum && without.n >= minimum {
                    let a = with.x / with.n, b = without.x / without.n
                    let error = (a * (1 - a) / with.n + b * (1 - b) / without.n).squareRoot()
                    value = a - b
                    method = .normal(value: a - b, error: error)
                    outcome = error > 0 ? Significance.isZero(value: a - b, error: error)
                        : .tested(pValue: 1)
                } else {
                    value = with.n > 0 && without.n > 0 ? with.x / with.n - without.x / without.n : nil
                    outcome = .insufficient(reason: "a side has fewer than \(configuration.minimumGroupSize) users")
                }
                let test = addTest(outcome)
                func group(_ name: String, _ c: (x: Double, n: Double)) -> GroupValue {
                    GroupValue(group: name, members: Int(c.n), numerator: c.x, denominator: c.n,
                               estimate: interval(c.n > 0 ? c.x / c.n : nil, .wilson(successes: c.x, trials: c.n)),
                               small: c.n < minimum)
                }
                let i = add(metric, offer: nil, attribute: trait.attribute, extra: [trait.trait, category.name],
                            value: value, interval: method,
                            undefined: "undefined: every user has the same value of the trait", tests: [test],
                            groups: [group(trait.trait, with), group("not " + trait.trait, without)])
                findings[i].trait = trait.trait
                findings[i].category = category.name
            }
        }
    }
}
