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
        var sentences: [String]
    }

    /// The policy's outcome in one sentence (`nil` without a policy).
    var policy: String?
    /// Per offer, in report order.
    var offers: [Offer]
    /// The privacy view's sentences (empty without one).
    var privacy: [String]

    init(_ report: AuditReport) {
        if let outcomes = report.policy {
            let violated = outcomes.filter { $0.status == .violated }.map(\.rule.name)
            let inconclusive = outcomes.filter { $0.status == .inconclusive }.map(\.rule.name)
            if !violated.isEmpty {
                policy = "The policy is violated with evidence: " + violated.joined(separator: ", ")
                    + ". The gate fails."
            } else if !inconclusive.isEmpty {
                policy = "The policy is not violated with evidence, but " + inconclusive.joined(separator: ", ")
                    + " \(inconclusive.count == 1 ? "is" : "are") inconclusive (a point estimate beyond its bound). "
                    + "The gate passes."
            } else {
                policy = "Every rule of the policy (\(outcomes.count)) holds. The gate passes."
            }
        }
        let attributes = report.attributes.map(\.name)
        offers = report.offers.map { offer in
            var sentences: [String] = []
            for attribute in attributes {
                sentences += Self.targeting(report, offer: offer, attribute: attribute)
            }
            let intersections = report.findings.filter {
                $0.offer == offer && $0.attribute.contains("×") && $0.verdict == .disparity
                    && $0.metric.descriptor.isCharted
            }
            for f in intersections { sentences += Self.targeting(report, offer: offer, attribute: f.attribute) }
            return Offer(offer: offer, sentences: sentences)
        }
        privacy = PrivacyAnswers(report).sentences
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
        let interval = f.estimate.lower.map { "\(level) interval \(points($0))–\(points(f.estimate.upper)) points" }
            ?? "no interval"
        let test = f.test.map { "; \($0) test, Holm-adjusted p \(FindingText.pValue(f.adjustedPValue))" } ?? ""
        switch f.verdict {
        case .disparity:
            out.append("**\(attribute)**: \(low.group) \(low.group.hasSuffix("s") ? "are" : "is") targeted less — "
                       + "\(percent(low.estimate.value)) of them against \(percent(high.estimate.value)) of "
                       + "\(high.group), a gap of \(points(gap)) points (\(interval))\(test): **a disparity**.")
        case .noEvidence:
            out.append("**\(attribute)**: no evidence that any group is targeted less — the rates run from "
                       + "\(percent(low.estimate.value)) (\(low.group)) to \(percent(high.estimate.value)) "
                       + "(\(high.group)), a gap of \(points(gap)) points (\(interval))\(test).")
        case .insufficientData:
            out.append("**\(attribute)**: cannot tell — \(f.reason) (gap \(points(gap)) points, \(interval)).")
        }
        if let a = report.attribution.first(where: { $0.offer == offer && $0.attribute == attribute }),
           let truth = a.truthGap.value, let data = a.addedByData.value, let model = a.addedByModel.value {
            let modelInterval = a.addedByModel.lower.map { " (\(level) interval \(points($0)) to \(points(a.addedByModel.upper)))" } ?? ""
            // "the observed data widen it", "the model widens it".
            func change(_ x: Double, singular: Bool) -> String {
                (x >= 0 ? "widen" : "narrow") + (singular ? "s" : "") + " it by \(points(abs(x)))"
            }
            let largest = [(truth, "mostly in the world: true interest differs"), (data, "mostly the data's"),
                           (model, "mostly the model's")].max { $0.0 < $1.0 }!.1
            out.append("Where it comes from: selecting by true interest would leave a gap of \(points(truth)) points; "
                       + "the observed data \(change(data, singular: false)) and the model "
                       + "\(change(model, singular: true))\(modelInterval) — "
                       + "\(largest).")
        }
        let twins = report.counterfactuals.filter { $0.attribute == attribute && $0.kind == .total }
        let flips = twins.compactMap { w -> (String, CounterfactualSummary.Offer, Int)? in
            w.offers.first { $0.offer == offer }.map { (w.world, $0, w.affected) }
        }
        if let (world, o, affected) = flips.max(by: { ($0.1.flipRate.value ?? 0) < ($1.1.flipRate.value ?? 0) }) {
            let finding = report.findings.first {
                $0.offer == offer && $0.world == world && $0.metric == .counterfactualFlipRate
            }
            let verdict = finding.map { $0.verdict == .disparity ? "treated differently (exact binomial test: a disparity)"
                                        : "\($0.verdict.rawValue) (\($0.test?.rawValue ?? "no") test)" } ?? ""
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
