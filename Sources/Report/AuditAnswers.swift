#if canImport(Glibc)
internal import Glibc
#endif
import Audit

/// The answers a marketer or data scientist looks for first, in plain language, per offer: who is targeted less
/// and by how much (with its interval and the test it rests on), whether the world, the data or the model made the
/// gap, whether exact twins are treated differently — and the policy's outcome. Both `report.md` and
/// `report.html` open with these sentences.
struct AuditAnswers {
    /// One offer's sentences.
    struct Offer {
        var offer: String
        /// The answer for the offer in one plain sentence (who is targeted less, by how much, whether it is
        /// material and where it comes from).
        var headline: String? = nil
        /// The details, attribute by attribute, with the tests' names and p-values.
        var sentences: [String]
    }

    /// The policy's outcome in one sentence (`nil` without a policy).
    var policy: String?
    /// Per offer, in report order.
    var offers: [Offer]
    /// The privacy view's sentences (empty without one).
    var privacy: [String]
    /// The audit's answer in one sentence: how many findings are material, and which.
    var overall: String
    /// The privacy view's answer in one sentence (`nil` without a privacy view).
    var privacyHeadline: String?

    init(_ report: AuditReport) {
        if let outcomes = report.policy {
            let violated = outcomes.filter { $0.status == .violated }.map(\.rule.name)
            let inconclusive = outcomes.filter { $0.status == .inconclusive }.map(\.rule.name)
            if !violated.isEmpty {
                policy = "The policy is violated with evidence: " + violated.joined(separator: ", ")
                    + ". The gate fails."
                    + (inconclusive.isEmpty ? "" : " Inconclusive: " + inconclusive.joined(separator: ", ") + ".")
            } else if !inconclusive.isEmpty {
                policy = "The policy is not violated with evidence, but " + inconclusive.joined(separator: ", ")
                    + " \(inconclusive.count == 1 ? "is" : "are") inconclusive (a point estimate beyond its bound, or "
                    + "a material gap not ruled out). "
                    + (report.inconclusiveFails == true ? "The gate fails (--inconclusive fail)."
                        : "The gate passes, with a warning.")
            } else {
                policy = "Every rule of the policy (\(outcomes.count)) holds. The gate passes."
            }
        }
        overall = Self.overall(report)
        // Material gaps lead: within an offer, attributes by verdict (material, small, inconclusive, none), and
        // offers with a material gap first.
        func severity(_ f: Finding?) -> Int {
            switch f?.verdict {
            case .material: 0
            case .small: 1
            case .inconclusive: 2
            case .noMaterialGap, nil: 3
            }
        }
        func charted(_ offer: String, _ attribute: String) -> Finding? {
            report.findings.first { $0.offer == offer && $0.attribute == attribute && $0.metric.descriptor.isCharted }
        }
        let attributes = report.attributes.map(\.name)
        offers = report.offers.map { offer in
            var sentences: [String] = []
            let ordered = attributes.enumerated().sorted {
                (severity(charted(offer, $0.element)), $0.offset) < (severity(charted(offer, $1.element)), $1.offset)
            }.map(\.element)
            for attribute in ordered {
                sentences += Self.targeting(report, offer: offer, attribute: attribute)
            }
            let intersections = report.findings.filter {
                $0.offer == offer && $0.attribute.contains("×") && $0.verdict == .material
                    && $0.metric.descriptor.isCharted
            }
            for f in intersections { sentences += Self.targeting(report, offer: offer, attribute: f.attribute) }
            let headline = Self.headline(report, offer: offer,
                                         findings: ordered.compactMap { charted(offer, $0) })
            return Offer(offer: offer, headline: headline, sentences: sentences)
        }
        let leading = report.offers.map { offer in
            report.findings.contains { $0.offer == offer && $0.verdict == .material } ? 0 : 1
        }
        offers = zip(offers, leading).enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }
            .map(\.element.0)
        privacy = PrivacyAnswers(report).sentences
        privacyHeadline = Self.privacyHeadline(report)
    }

    /// A share in percentage points, to one decimal (two significant digits below one point).
    static func points(_ x: Double?) -> String {
        guard let x else { return "undefined" }
        let p = x * 100
        if p != 0 && abs(p) < 1 {
            let digits = max(1, 1 - Int(log10(abs(p)).rounded(.down)))
            let scale = pow(10, Double(digits))
            return FindingText.value((p * scale).rounded() / scale)
        }
        return FindingText.value((p * 10).rounded() / 10)
    }

    static func percent(_ x: Double?) -> String { points(x) + "%" }

    /// One plain sentence for an offer, from its headline gaps (most severe verdict first), naming the offer's
    /// other material findings when there are any.
    static func headline(_ report: AuditReport, offer: String, findings: [Finding]) -> String? {
        guard let sentence = gapHeadline(report, offer: offer, findings: findings) else { return nil }
        // The attributes whose headline gap is material are named already.
        let named = Set(findings.filter { $0.verdict == .material }.map(\.attribute))
        let others = report.findings.filter {
            $0.offer == offer && $0.verdict == .material && !named.contains($0.attribute) && !$0.metric.descriptor.isCharted
        }
        guard !others.isEmpty else { return sentence }
        // Grouped in plain words: gaps by an attribute (how many metrics), twins treated differently (how many
        // counterfactual worlds).
        var gaps: [(String, Set<MetricID>)] = [], twins: [(String, Set<String>)] = []
        for f in others {
            if let world = f.world {
                if let i = twins.firstIndex(where: { $0.0 == f.attribute }) { twins[i].1.insert(world) }
                else { twins.append((f.attribute, [world])) }
            } else if let i = gaps.firstIndex(where: { $0.0 == f.attribute }) {
                gaps[i].1.insert(f.metric)
            } else {
                gaps.append((f.attribute, [f.metric]))
            }
        }
        let listed = gaps.map { "gaps by \($0.0) (\($0.1.count) metric\($0.1.count == 1 ? "" : "s"))" }
            + twins.map { "exact twins treated differently by \($0.0) (\($0.1.count) world\($0.1.count == 1 ? "" : "s"))" }
        return String(sentence.dropLast()) + ". Also **material**: " + listed.joined(separator: "; ") + "."
    }

    /// The headline gap's sentence.
    static func gapHeadline(_ report: AuditReport, offer: String, findings: [Finding]) -> String? {
        guard let f = findings.first else { return nil }
        let rated = f.groups.filter { $0.estimate.value != nil }
        let others = findings.dropFirst().filter { $0.verdict == f.verdict }.map(\.attribute)
        let also = others.isEmpty ? "" : "; also by " + others.joined(separator: ", ")
        switch f.verdict {
        case .material, .small:
            guard let low = rated.min(by: { $0.estimate.value! < $1.estimate.value! }),
                  let high = rated.max(by: { $0.estimate.value! < $1.estimate.value! }) else { return nil }
            let ratio = f.materiality?.scale == .rateRatio ? f.materiality?.estimate.value : nil
            let times = ratio.map { "\(FindingText.value(($0 * 100).rounded() / 100)) times as often, " } ?? ""
            var source = ""
            if let a = report.attribution.first(where: { $0.offer == offer && $0.attribute == f.attribute }),
               let sentence = attributionSentences(a, level: "").first, let mostly = sentence.range(of: "The gap is ") {
                source = ", " + String(sentence[mostly.upperBound...].dropLast())
                    .replacing("mostly in the world: true interest differs", with: "mostly already in true interest")
                    .replacing("mostly the data's", with: "mostly from the data")
                    .replacing("mostly the model's", with: "mostly from the model")
                if a.orientation != nil, let m = a.modelGap.value, let o = a.observedGap.value,
                   m != 0, o != 0, (m > 0) != (o > 0) { source += " (the model reverses the data's gap)" }
            }
            return "\(low.group) \(low.group.hasSuffix("s") ? "are" : "is") targeted less than \(high.group) — "
                + "\(times)\(percent(low.estimate.value)) against \(percent(high.estimate.value)), "
                + "\(points(high.estimate.value! - low.estimate.value!)) points fewer — "
                + (f.verdict == .material ? "a **material** gap" : "a **small** gap") + " by \(f.attribute)\(source)\(also)."
        case .noMaterialGap:
            return "**no material gap** by " + findings.map(\.attribute).joined(separator: ", ") + "."
        case .inconclusive:
            return "no gap is shown by \(f.attribute), but a material one is **not ruled out** (\(f.holmPValue == nil ? "too little data" : "the interval is too wide"))\(also)."
        }
    }

    /// The privacy view's answer in one sentence: its material findings named, or that there are none.
    static func privacyHeadline(_ report: AuditReport) -> String? {
        guard report.privacy != nil else { return nil }
        let findings = report.findings.filter { $0.view == .privacy }
        let material = findings.filter { $0.verdict == .material }
        func name(_ f: Finding) -> String {
            switch f.metric {
            case .inferenceAUC:
                return "\(f.attribute) = \(f.trait ?? "") can be predicted from the "
                    + (f.source == "user_factors" ? "user factors" : f.source == "interactions" ? "raw interactions"
                        : f.source ?? "") + " (AUC \(FindingText.value(f.estimate.value)))"
            case .optOutRateDifference: return "opting out is not random by \(f.attribute)"
            case .optOutNDCGCostDifference: return "opting out costs some groups by \(f.attribute) more than others"
            case .optOutBias: return "an audit of consenting users alone misreads \(f.basis?.name ?? "a metric") for "
                + "\(f.offer ?? "an offer") by \(f.attribute)"
            case .sensitiveExposureRateDifference: return "the lists reveal \(f.attribute) through \(f.category ?? "a category")"
            case .membershipAUC: return "an attacker tells the model's training users from others "
                + "(AUC \(FindingText.value(f.estimate.value)))"
            case .empiricalEpsilon: return "the attack proves ε ≥ \(FindingText.value(f.estimate.value))"
            default: return "\(f.metric.name) by \(f.attribute)"
            }
        }
        let counts = Verdict.allCases.map { v in "\(findings.filter { $0.verdict == v }.count) \(v.rawValue)" }
            .joined(separator: ", ")
        guard !material.isEmpty else { return "no material privacy harm found (\(counts))." }
        var seen: [String] = []
        for f in material where !seen.contains(name(f)) { seen.append(name(f)) }
        return seen.prefix(4).joined(separator: "; ") + (seen.count > 4 ? "; and \(seen.count - 4) more" : "")
            + " — **material** (\(counts))."
    }

    /// The overall verdict: the material findings named (up to five), then the count of every verdict.
    static func overall(_ report: AuditReport) -> String {
        let material = report.materialFindings
        let counts = "(\(report.verdictCounts) among \(report.findings.count) findings)"
        guard !material.isEmpty else {
            return "No material gap was found \(counts)."
        }
        // Grouped by where they are: an offer and attribute (campaign, twins), or a view and attribute.
        var places: [(String, Int)] = []
        for f in material {
            let place = f.offer.map { "\($0) by \(f.attribute)" } ?? "\(f.view.rawValue): \(f.attribute)"
            if let i = places.firstIndex(where: { $0.0 == place }) { places[i].1 += 1 } else { places.append((place, 1)) }
        }
        let named = places.prefix(5).map { "\($0.0) (\($0.1) finding\($0.1 == 1 ? "" : "s"))" }.joined(separator: "; ")
            + (places.count > 5 ? "; and \(places.count - 5) more" : "")
        return "**\(material.count) material finding\(material.count == 1 ? "" : "s")** — \(named) \(counts)."
    }

    /// The materiality band of a finding in words: `the four-fifths band 0.8–1.25 on the rate ratio`.
    static func band(_ f: Finding) -> String {
        guard let m = f.materiality else { return "the materiality threshold" }
        let v = FindingText.value
        switch m.scale {
        case .rateRatio:
            return m.threshold == 0.8 ? "the four-fifths band 0.8–1.25"
                : "the materiality band \(v(m.band[0]))–\(v(m.band[1]))"
        case .difference: return "the materiality threshold of ±\(v(m.threshold))"
        case .auc: return "the materiality threshold of AUC \(v(m.threshold))"
        case .epsilon: return "the materiality threshold of ε = \(v(m.threshold))"
        }
    }

    /// The selection-rate gap, its attribution and the exact twins for one attribute.
    static func targeting(_ report: AuditReport, offer: String, attribute: String) -> [String] {
        guard let f = report.findings.first(where: {
            $0.offer == offer && $0.attribute == attribute && $0.metric.descriptor.isCharted
        }) else { return [] }
        var out: [String] = []
        let level = ReportTables.level(report.configuration)
        let rated = f.groups.filter { $0.estimate.value != nil }
        guard let low = rated.min(by: { $0.estimate.value! < $1.estimate.value! }),
              let high = rated.max(by: { $0.estimate.value! < $1.estimate.value! }), let gap = f.estimate.value else {
            return ["**\(attribute)**: the selection-rate gap is undefined — \(f.undefinedReason ?? f.reason)."]
        }
        let interval = f.estimate.lower.map { "\(points($0))–\(points(f.estimate.upper))" } ?? "no interval"
        let test = f.test.map { "\($0) test, Holm-adjusted p \(FindingText.pValue(f.holmPValue))" } ?? "no test"
        let ratio = f.materiality.flatMap { m in m.scale == .rateRatio ? m.estimate : nil }
        let ratioText = ratio?.value.map { r in
            "a ratio of \(FindingText.value(r))"
                + (ratio?.lower.map { " (\(level) interval \(FindingText.value($0))–\(FindingText.value(ratio?.upper)))" } ?? "")
                + " and "
        } ?? ""
        let are = low.group.hasSuffix("s") ? "are" : "is"
        let size = "\(ratioText)a gap of \(points(gap)) points (\(level) interval \(interval))"
        let range = "the rates run from \(percent(low.estimate.value)) (\(low.group)) to \(percent(high.estimate.value)) "
            + "(\(high.group))"
        switch f.verdict {
        case .material:
            out.append("**\(attribute)**: \(low.group) \(are) targeted less — \(percent(low.estimate.value)) of them "
                       + "against \(percent(high.estimate.value)) of \(high.group): \(size) — **material**, outside "
                       + "\(band(f)) (\(test)).")
        case .small:
            out.append("**\(attribute)**: \(low.group) \(are) targeted slightly less — \(percent(low.estimate.value)) "
                       + "against \(percent(high.estimate.value)) of \(high.group): \(size) — a real but **small** "
                       + "gap, within \(band(f)) (\(test)).")
        case .noMaterialGap:
            out.append("**\(attribute)**: **no material gap** — \(range): \(size), within \(band(f)) "
                       + "(\(test)).")
        case .inconclusive:
            if f.holmPValue == nil {
                out.append("**\(attribute)**: cannot tell — \(f.reason) (gap \(points(gap)) points, \(level) "
                           + "interval \(interval) points).")
            } else {
                out.append("**\(attribute)**: **inconclusive** — \(range): \(size). No gap is shown, but the "
                           + "interval reaches past \(band(f)): a material gap is not ruled out (\(test)).")
            }
        }
        if let a = report.attribution.first(where: { $0.offer == offer && $0.attribute == attribute }) {
            out += attributionSentences(a, level: level)
        }
        let twins = report.counterfactuals.filter { $0.attribute == attribute && $0.kind == .total }
        let flips = twins.compactMap { w -> (String, CounterfactualSummary.Offer, Int)? in
            w.offers.first { $0.offer == offer }.map { (w.world, $0, w.affected) }
        }
        if let (world, o, affected) = flips.max(by: { ($0.1.flipRate.value ?? 0) < ($1.1.flipRate.value ?? 0) }) {
            let finding = report.findings.first {
                $0.offer == offer && $0.world == world && $0.metric == .counterfactualFlipRate
            }
            let verdict = finding.map { f in
                let test = "\(f.test?.rawValue ?? "no") test, threshold \(percent(f.materiality?.threshold)) of twins"
                return switch f.verdict {
                case .material: "**material** (\(test))"
                case .small: "a real but **small** share (\(test))"
                case .noMaterialGap: "no material share (\(test))"
                case .inconclusive: "inconclusive (\(test))"
                }
            } ?? ""
            if o.flipsUp + o.flipsDown == 0 {
                out.append("Exact twins: none of the \(affected) users whose \(attribute) changes (\(world)) is "
                           + "targeted differently.")
            } else {
                out.append("Exact twins: \(percent(o.flipRate.value)) of the \(affected) users whose \(attribute) "
                           + "changes (\(world)) are targeted differently — \(o.flipsUp) only as their twin, "
                           + "\(o.flipsDown) only as themselves; \(verdict).")
            }
        }
        return out
    }
}
