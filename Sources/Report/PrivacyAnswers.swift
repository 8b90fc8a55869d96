import Audit

/// The privacy view's answers in plain language: who opted out and what it costs them, whether an audit of
/// consenting users alone would be misled, what the model's user factors and the raw data reveal about protected
/// and sensitive traits, whether the lists themselves give a sensitive trait away, and — given a non-member world —
/// whether an attacker can tell the users the model was trained on.
struct PrivacyAnswers {
    /// The sentences, in that order (empty without a privacy view).
    var sentences: [String] = []

    init(_ report: AuditReport) {
        guard let privacy = report.privacy else { return }
        let level = ReportTables.level(report.configuration)
        let findings = report.findings.filter { $0.view == .privacy }
        func interval(_ f: Finding, points: Bool) -> String {
            guard let lo = f.estimate.lower, let hi = f.estimate.upper else { return "no interval" }
            return points ? "\(level) interval \(AuditAnswers.points(lo)) to \(AuditAnswers.points(hi)) points"
                : "\(level) interval \(FindingText.value(lo)) to \(FindingText.value(hi))"
        }
        func test(_ f: Finding) -> String {
            f.test.map { "\($0) test, Holm-adjusted p \(FindingText.pValue(f.holmPValue)): \(f.verdict.words)" } ?? f.reason
        }
        /// The test rejects: a material or a small gap.
        func shown(_ f: Finding) -> Bool { f.verdict == .material || f.verdict == .small }
        if let optedOut = privacy.optedOut, let attribute = privacy.consentAttribute {
            var s = "**Consent**: \(optedOut) of \(report.users) users (\(AuditAnswers.percent(Double(optedOut) / Double(max(report.users, 1))))) "
                + "opted out (\(attribute) false); they are served "
                + (privacy.optedOutServing == "non-personalised"
                   ? "the most popular items among consenting users, built from none of their data."
                   : "personalised lists — the model does not honour consent.")
            let skewed = findings.filter { $0.metric == .optOutRateDifference && shown($0)
                && !$0.attribute.contains("×") }
            for f in skewed {
                let rated = f.groups.filter { $0.estimate.value != nil }
                if let low = rated.min(by: { $0.estimate.value! < $1.estimate.value! }),
                   let high = rated.max(by: { $0.estimate.value! < $1.estimate.value! }) {
                    s += " Opting out is not random by \(f.attribute): \(AuditAnswers.percent(high.estimate.value)) of "
                        + "\(high.group) against \(AuditAnswers.percent(low.estimate.value)) of \(low.group) "
                        + "(\(interval(f, points: true)); \(test(f)))."
                }
            }
            if skewed.isEmpty { s += " No evidence that any protected group opts out more often." }
            sentences.append(s)
            let personalised = privacy.groups.filter { !$0.attribute.contains("×") }
            if privacy.optedOutServing == "non-personalised", let first = personalised.first {
                // The first attribute's groups cover everyone: pool them for the overall figures.
                let rows = personalised.filter { $0.attribute == first.attribute }
                func pooled(_ value: (PrivacySummary.Group) -> Double?) -> String {
                    let weighted = rows.compactMap { r in value(r).map { ($0, Double(r.members)) } }
                    let total = weighted.reduce(0) { $0 + $1.1 }
                    return total > 0 ? FindingText.value(weighted.reduce(0) { $0 + $1.0 * $1.1 } / total) : "undefined"
                }
                var cost = "**What opting out costs**: opted-out users' NDCG@\(report.configuration.k) against their "
                    + "true interest is about \(pooled { $0.optedOutServedNDCG.value }) with the lists they are served, "
                    + "against about \(pooled { $0.optedOutPersonalisedNDCG.value }) had they been personalised "
                    + "(consenting users: \(pooled { $0.consentingNDCG.value }))."
                let unequal = findings.filter { $0.metric == .optOutNDCGCostDifference && shown($0) }
                for f in unequal {
                    cost += " The cost differs by \(f.attribute): \(FindingText.value(f.estimate.value)) NDCG between "
                        + "the groups that pay most and least (\(interval(f, points: false)); \(test(f)))."
                }
                if unequal.isEmpty { cost += " No evidence that one group pays more for its privacy than another." }
                sentences.append(cost)
            }
            let biased = findings.filter { $0.metric == .optOutBias && shown($0) }
            let rows = privacy.optOutBias
            for f in biased.prefix(4) {
                guard let row = rows.first(where: { $0.offer == f.offer && $0.attribute == f.attribute && $0.metric == f.basis })
                else { continue }
                sentences.append(
                    "**An audit of consenting users alone is misled**: \(row.metric.name) for \(row.offer) by \(row.attribute) "
                        + "is \(FindingText.value(row.consentingOnly)) on consenting users but "
                        + "\(FindingText.value(row.everyone)) on everyone — a bias of \(FindingText.value(f.estimate.value)) "
                        + "(\(interval(f, points: false)); \(test(f))).")
            }
            if biased.count > 4 { sentences.append("\(biased.count - 4) more campaign metrics are biased likewise.") }
            let tested = findings.filter { $0.metric == .optOutBias }
            if biased.isEmpty && !tested.isEmpty {
                sentences.append("**Opt-out bias**: no evidence that an audit of consenting users alone would be "
                                 + "misled (\(tested.count) campaign metrics compared with their value on everyone).")
            }
        }
        let probes = findings.filter { $0.metric == .inferenceAUC }
        var byTrait: [(String, [Finding])] = []
        for f in probes {
            let key = "\(f.attribute) = \(f.trait ?? "")"
            if let i = byTrait.firstIndex(where: { $0.0 == key }) { byTrait[i].1.append(f) } else { byTrait.append((key, [f])) }
        }
        for (trait, group) in byTrait {
            let parts = group.map { f in
                "\(f.source == "user_factors" ? "the user factors" : f.source == "interactions" ? "the raw interactions" : f.source ?? "") "
                    + "AUC \(FindingText.value(f.estimate.value)) (\(interval(f, points: false)); \(test(f)))"
            }
            let revealed = group.filter(shown).compactMap(\.source)
            let material = group.contains { $0.verdict == .material }
            let head = revealed.isEmpty ? "**\(trait)** cannot be shown to be predictable"
                : "**\(trait) can be predicted\(material ? "" : ", but only slightly,")** from " + revealed.map {
                    $0 == "user_factors" ? "the user factors" : $0 == "interactions" ? "the raw interactions" : $0
                }.joined(separator: " and ")
            sentences.append(head + ": " + parts.joined(separator: "; ")
                + ". (0.5: nothing revealed; 1: perfectly; material above \(FindingText.value(group.first?.materiality?.threshold)).)")
        }
        if let membership = privacy.membership,
           let auc = findings.first(where: { $0.metric == .membershipAUC }) {
            sentences.append(Self.membership(membership, auc: auc,
                                             epsilon: findings.first { $0.metric == .empiricalEpsilon },
                                             level: level, test: test(auc)))
        }
        for f in findings where f.metric == .sensitiveExposureRateDifference {
            let with = f.groups.first, without = f.groups.dropFirst().first
            sentences.append("**The lists reveal \(f.attribute)?** \(f.verdict == .material ? "Yes, materially" : f.verdict == .small ? "Slightly" : f.verdict == .noMaterialGap ? "No material difference" : "Inconclusive"): "
                + "users with \(f.attribute) = \(f.trait ?? "true") are shown \(f.category ?? "the category") items "
                + "\(AuditAnswers.percent(with?.estimate.value)) of the time, others "
                + "\(AuditAnswers.percent(without?.estimate.value)) — a difference of \(AuditAnswers.points(f.estimate.value)) points "
                + "(\(interval(f, points: true)); \(test(f))).")
        }
    }

    /// The membership attack in one sentence: what the attacker knows, the AUC with its interval and test, the
    /// empirical ε it proves and, for a private model, whether that stays below the promised ε.
    static func membership(_ m: MembershipEvidence, auc: Finding, epsilon: Finding?, level: String, test: String)
        -> String
    {
        let v = FindingText.value
        let knows = m.variant == "lists" ? "a user's history and the top-\(m.listLength ?? 10) list served to them"
            : "a user's history and the item factors"
        let tells = auc.verdict == .material || auc.verdict == .small
        let interval = auc.estimate.lower.map { "\(level) interval \(v($0)) to \(v(auc.estimate.upper))" }
            ?? "no interval"
        var s = "**Membership**: an attacker who knows \(knows) "
            + (tells ? "tells the model's training users from \(m.sampled) others of the same population"
                : "cannot be shown to tell the model's training users from \(m.sampled) others of the same population")
            + " — AUC \(v(auc.estimate.value)) (\(interval); \(test))"
        let bound = epsilon?.estimate.value ?? m.epsilon
        let percent = m.level * 100
        let confidence = (percent == percent.rounded() ? "\(Int(percent))" : v(percent)) + "% confidence"
        s += bound > 0
            ? ", and proves ε ≥ \(v(bound)) at δ = \(FindingText.value(m.delta)) (\(confidence))"
            : ", and proves no ε above 0 at δ = \(FindingText.value(m.delta))"
        if let promised = m.promisedEpsilon {
            s += m.breaksPromise
                ? ": **above the promised ε = \(v(promised))**, so the private training or its accounting is wrong"
                : ": below the promised ε = \(v(promised)), as a private model's must be"
        }
        return s + ". (AUC 0.5: the attacker cannot tell; a lower bound on ε shows leakage, never its absence.)"
    }
}
