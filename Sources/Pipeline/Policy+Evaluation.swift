public import Audit
import FileSupport
internal import Report

/// A policy's verdicts: each rule checked against a report's findings (and a baseline's), by its bounds, its
/// materiality threshold or its no-regression rule, with evidence.
extension Policy {
    /// Checks every rule against `report` (and `baseline`, for regression rules).
    ///
    /// - Throws: ``FairgroundError`` when a rule names what the audit does not have (``check(against:)``) or a
    ///   regression rule has no baseline.
    public func evaluate(_ report: AuditReport, baseline: AuditReport? = nil) throws(FairgroundError) -> [RuleOutcome] {
        try check(against: report)
        var outcomes: [RuleOutcome] = []
        for rule in rules {
            let matching = report.findings.filter { rule.matches($0, in: report) }.map { f in
                var f = f
                if let m = rule.materiality { f.judge(by: m, alpha: report.configuration.alpha) }
                return f
            }
            var checks: [RuleOutcome.Check] = []
            if rule.noRegression == true {
                guard let baseline else {
                    throw FairgroundError.parameter("baseline", field: rule.name,
                                     expected: "a baseline report for a no_regression rule")
                }
                let previous = Dictionary(baseline.findings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                for f in matching { checks.append(Self.regression(f, previous[f.id], rule)) }
            }
            for f in matching where rule.atLeast != nil || rule.atMost != nil {
                checks.append(Self.bound(f, rule))
            }
            if let m = rule.materiality, rule.atLeast == nil, rule.atMost == nil, rule.noRegression != true {
                for f in matching { checks.append(Self.materiality(f, m, rule)) }
            }
            let status: RuleOutcome.Status = checks.contains { $0.status == .violated } ? .violated
                : checks.contains { $0.status == .inconclusive } ? .inconclusive
                : checks.isEmpty ? .inconclusive : .passed
            outcomes.append(RuleOutcome(rule: rule, status: status,
                                        checks: checks.isEmpty
                                            ? [.init(finding: "", status: .inconclusive, message: "no finding matches this rule")]
                                            : checks))
        }
        return outcomes
    }

    /// A finding judged by the rule's threshold. Violated only with evidence: the test rejects and the rule's
    /// evidence interval on the threshold's scale (the simultaneous one by default) lies wholly outside the band;
    /// a material or inconclusive verdict short of that is inconclusive; small and none pass.
    static func materiality(_ f: Finding, _ m: Materiality, _ rule: Rule) -> RuleOutcome.Check {
        let reason = f.materiality.flatMap { $0.because.isEmpty ? nil : String($0.because.trimmingPrefix("; ")) }
            ?? f.reason
        let message = "\(FindingText.value(f.estimate.value)) \(FindingText.interval(f.estimate)): \(reason)"
        guard let check = f.materiality else { return .init(finding: f.id, status: .inconclusive, message: message) }
        let interval: Estimate?
        switch rule.evidence ?? .interval {
        // A lower bound (the empirical ε) has no simultaneous interval: the bound itself is the evidence.
        case .interval: interval = check.simultaneous ?? check.estimate
        case .perFinding: interval = check.estimate
        case .point: interval = check.estimate.value.map { Estimate(value: $0, lower: $0, upper: $0) }
        }
        if f.verdict == .material, let interval, m.excludes(interval) || check.estimate.value == nil {
            return .init(finding: f.id, status: .violated, message: message)
        }
        switch f.verdict {
        case .material:
            return .init(finding: f.id, status: .inconclusive,
                         message: message + "; its \(rule.evidence == .perFinding ? "" : "simultaneous ")interval "
                            + "\(FindingText.interval(interval ?? check.estimate)) reaches the band")
        case .inconclusive: return .init(finding: f.id, status: .inconclusive, message: message)
        case .small, .noMaterialGap: return .init(finding: f.id, status: .passed, message: message)
        }
    }

    /// The report with every finding a rule with `material` matches judged by that rule's threshold (a later
    /// rule's replaces an earlier one's), so the report's verdicts are the ones the policy checked.
    public func judged(_ report: AuditReport) -> AuditReport {
        var report = report
        for rule in rules {
            guard let m = rule.materiality else { continue }
            for i in report.findings.indices where rule.matches(report.findings[i], in: report) {
                report.findings[i].judge(by: m, alpha: report.configuration.alpha)
            }
        }
        return report
    }

    static func bound(_ f: Finding, _ rule: Rule) -> RuleOutcome.Check {
        guard let value = f.estimate.value else {
            return .init(finding: f.id, status: .inconclusive, message: f.undefinedReason ?? "undefined")
        }
        let pointOnly = rule.evidence == .point
        let interval = evidence(f, rule)
        let lower = pointOnly ? value : (interval.lower ?? value)
        let upper = pointOnly ? value : (interval.upper ?? value)
        let written = FindingText.interval(interval)  // empty for a one-sided bound: the value is the bound
        let shown = FindingText.value(value) + (pointOnly || written.isEmpty ? "" : " " + written
            + (rule.evidence == .perFinding ? "" : " (simultaneous)"))
        if let min = rule.atLeast {
            if upper < min { return .init(finding: f.id, status: .violated, message: "\(shown) is below \(min)") }
            if value < min {
                return .init(finding: f.id, status: .inconclusive,
                             message: "\(shown): point below \(min), interval reaches it")
            }
        }
        if let max = rule.atMost {
            if lower > max { return .init(finding: f.id, status: .violated, message: "\(shown) is above \(max)") }
            if value > max {
                return .init(finding: f.id, status: .inconclusive,
                             message: "\(shown): point above \(max), interval reaches it")
            }
        }
        return .init(finding: f.id, status: .passed, message: "\(shown) within bounds")
    }

    /// The interval a rule's evidence rests on: the simultaneous one unless the rule asks for the finding's own.
    static func evidence(_ f: Finding, _ rule: Rule) -> Estimate {
        rule.evidence == .perFinding ? f.estimate : (f.simultaneous ?? f.estimate)
    }

    static func regression(_ f: Finding, _ old: Finding?, _ rule: Rule) -> RuleOutcome.Check {
        guard let old, let before = old.estimate.value else {
            return .init(finding: f.id, status: .passed, message: "not in the baseline (or undefined there)")
        }
        let interval = evidence(f, rule)
        guard let value = f.estimate.value, let lower = interval.lower, let upper = interval.upper else {
            return .init(finding: f.id, status: .inconclusive, message: "no interval now")
        }
        // Worse means beyond the baseline in the metric's direction, by the whole interval.
        let worse: Bool
        switch f.metric.descriptor.direction {
        case .higherIsWorse: worse = lower > before
        case .lowerIsWorse: worse = upper < before
        case .furtherFromZeroIsWorse: worse = (lower > 0 && lower > abs(before)) || (upper < 0 && -upper > abs(before))
        case .furtherFromOneIsWorse:
            let distance = abs(before - 1)
            worse = (lower > 1 && lower - 1 > distance) || (upper < 1 && 1 - upper > distance)
        }
        let message = "\(FindingText.value(value)) \(FindingText.interval(interval)) vs baseline \(FindingText.value(before))"
        return .init(finding: f.id, status: worse ? .violated : .passed, message: worse ? "regressed: " + message : message)
    }
}
