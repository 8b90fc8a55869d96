public import Audit
import FileSupport
import Population
internal import Report
internal import Yams

/// Rules a model must satisfy, checked against an audit (and optionally a baseline audit) — the CI gate.
///
/// ```yaml
/// version: 1
/// rules:
///   - name: four-fifths rule
///     metric: demographic_parity_ratio
///     at_least: 0.8
///   - name: counterfactual flips
///     metric: counterfactual_flip_rate
///     at_most: 0.01
///     worlds: [total]            # optional: total, naive, path_specific
///   - name: no regression
///     metric: demographic_parity_difference
///     no_regression: true        # needs --baseline
///   - name: no material targeting gap
///     metric: demographic_parity_difference
///     material: 0.8              # this rule's materiality threshold (here the rate-ratio band 0.8–1.25)
/// ```
///
/// A rule with `material` judges its findings by that threshold (their verdicts in the report follow it); with
/// no bound it is violated when a matching finding is *material* with evidence (its test rejects and the rule's
/// evidence interval on the threshold's scale lies wholly outside the band), and inconclusive when one is material
/// short of that, or *inconclusive*.
///
/// A rule is *violated* only with evidence: the whole simultaneous interval lies beyond the bound (with
/// `evidence: per_finding`, the finding's own 95% interval; with `evidence: point`, the point estimate). The
/// simultaneous intervals hold jointly over the audit's whole family of tests, so on a world where no rule is truly
/// broken the gate fails with probability at most 1 − confidence, however many findings the rules cover. A point
/// estimate beyond the bound whose interval reaches back across it makes the rule *inconclusive*, which is
/// reported but does not fail the gate.
public struct Policy: Sendable, Equatable {
    /// One rule (``PolicyRule``).
    public typealias Rule = PolicyRule
    /// What shows a rule violated (``PolicyRule/Evidence``).
    public typealias Evidence = PolicyRule.Evidence

    /// A rule as written, before its names are checked against the registry.
    struct WrittenRule: Codable {
        var name: String
        var metric: String
        var atLeast: Double?
        var atMost: Double?
        var noRegression: Bool?
        var offers: [String]?
        var attributes: [String]?
        var worlds: [CounterfactualWorld.Kind]?
        var evidence: String?
        var material: Double?

        enum CodingKeys: String, CodingKey {
            case name, metric, offers, attributes, worlds, evidence, material
            case atLeast = "at_least", atMost = "at_most", noRegression = "no_regression"
        }
    }

    struct File: Codable {
        var version: Int
        var rules: [WrittenRule]
    }

    /// The rules, in file order.
    public var rules: [Rule]
    /// Where the rules came from, named in errors (`policy` for rules built in code).
    public var source = "policy"
    /// The file line of each rule and of each of its `offers` and `attributes` entries, when parsed from text.
    var lines: [RuleLines] = []

    struct RuleLines: Sendable, Equatable {
        var rule: Int?
        var offers: [Int?] = []
        var attributes: [Int?] = []
    }

    /// Creates a policy from rules.
    public init(rules: [Rule]) { self.rules = rules }

    /// Metrics a rule may name: every metric of the registry (``MetricDescriptor/all``).
    public static var metrics: [MetricID] { MetricDescriptor.all.map(\.id) }

    /// Reads and checks a policy file.
    ///
    /// - Throws: ``FairgroundError`` naming the file, the rule field and what was expected.
    public static func load(path: String) throws(FairgroundError) -> Policy {
        let text = try FileIO.readText(path, expecting: "a readable policy file")
        return try parse(text, file: path)
    }

    /// Parses policy text.
    public static func parse(_ text: String, file: String) throws(FairgroundError) -> Policy {
        let text = try YAMLText.checked(text, file: file)
        let decoded: File
        do {
            decoded = try YAMLDecoder().decode(File.self, from: text)
        } catch let error as DecodingError {
            throw Self.describe(error, file: file)
        } catch {
            throw FairgroundError(file: file, field: "document", expected: "a YAML policy", found: "\(error)")
        }
        let lines = try checkKeys(text, file: file)
        if decoded.version != 1 {
            throw FairgroundError(file: file, field: "version", expected: "1", found: "\(decoded.version)")
        }
        if decoded.rules.isEmpty { throw FairgroundError(file: file, field: "rules", expected: "at least one rule") }
        var rules: [Rule] = []
        for (i, rule) in decoded.rules.enumerated() {
            let field = "rules[\(i)]"
            let line = lines.indices.contains(i) ? lines[i].rule : nil
            guard let metric = MetricID(rawValue: rule.metric) else {
                throw FairgroundError(file: file, field: field + ".metric", line: line,
                                 expected: "one of \(metrics.sorted().map(\.name).joined(separator: ", "))",
                                 found: rule.metric)
            }
            let bounds = (rule.atLeast != nil ? 1 : 0) + (rule.atMost != nil ? 1 : 0)
            if bounds == 0 && rule.noRegression != true && rule.material == nil {
                throw FairgroundError(file: file, field: field,
                                 expected: "at_least, at_most, material or no_regression: true", found: "none of them")
            }
            if let material = rule.material {
                let m = Materiality(scale: metric.descriptor.materiality.scale, threshold: material)
                do { try m.validate(field: field + ".material") } catch {
                    throw FairgroundError(file: file, field: field + ".material", line: line,
                                          expected: error.expected, found: "\(material)")
                }
            }
            // An empty list would match nothing: say so, rather than end "inconclusive" and pass the gate.
            for (key, list) in [("offers", rule.offers?.count), ("attributes", rule.attributes?.count),
                                ("worlds", rule.worlds?.count)] where list == 0 {
                throw FairgroundError(file: file, field: field + "." + key, line: line,
                                      expected: "at least one entry (leave \(key) out to cover them all)", found: "[]")
            }
            let evidence = try rule.evidence.map { e throws(FairgroundError) -> Evidence in
                guard let evidence = Evidence(rawValue: e) else {
                    throw FairgroundError(file: file, field: field + ".evidence", line: line,
                                     expected: "interval, per_finding or point", found: e)
                }
                return evidence
            }
            for v in [rule.atLeast, rule.atMost].compactMap({ $0 }) where !v.isFinite {
                throw FairgroundError(file: file, field: field, expected: "finite bounds", found: "\(v)")
            }
            if let low = rule.atLeast, let high = rule.atMost, low > high {
                throw FairgroundError(file: file, field: field, line: lines.indices.contains(i) ? lines[i].rule : nil,
                                 expected: "at_least ≤ at_most (no value can satisfy both)",
                                 found: "at_least \(low), at_most \(high)")
            }
            rules.append(Rule(name: rule.name, metric: metric, atLeast: rule.atLeast, atMost: rule.atMost,
                              noRegression: rule.noRegression, offers: rule.offers, attributes: rule.attributes,
                              worlds: rule.worlds, evidence: evidence, material: rule.material))
        }
        var policy = Policy(rules: rules)
        policy.source = file
        policy.lines = lines
        return policy
    }

    /// Refuses unknown keys, which decoding alone would silently ignore (a misspelt `at_least` must not pass), and
    /// returns the lines of each rule and of its `offers` and `attributes` entries.
    @discardableResult
    static func checkKeys(_ text: String, file: String) throws(FairgroundError) -> [RuleLines] {
        var lines: [RuleLines] = []
        let ruleKeys = Set(["name", "metric", "at_least", "at_most", "no_regression", "offers", "attributes",
                            "worlds", "evidence", "material"])
        guard case .mapping(let top)? = try? Yams.compose(yaml: text) else { return [] }
        for (key, value) in top {
            guard let k = key.string, ["version", "rules"].contains(k) else {
                throw FairgroundError(file: file, field: key.string ?? "?", line: key.mark.map { $0.line },
                                 expected: "version or rules")
            }
            guard k == "rules", case .sequence(let rules) = value else { continue }
            for (i, rule) in rules.enumerated() {
                var entry = RuleLines(rule: rule.mark.map { $0.line })
                guard case .mapping(let fields) = rule else { lines.append(entry); continue }
                for (name, value) in fields {
                    guard ruleKeys.contains(name.string ?? "") else {
                        throw FairgroundError(file: file, field: "rules[\(i)].\(name.string ?? "?")", line: name.mark.map { $0.line },
                                         expected: "one of \(ruleKeys.sorted().joined(separator: ", "))")
                    }
                    guard case .sequence(let items) = value else { continue }
                    if name.string == "offers" { entry.offers = items.map { $0.mark.map { $0.line } } }
                    if name.string == "attributes" { entry.attributes = items.map { $0.mark.map { $0.line } } }
                }
                lines.append(entry)
            }
        }
        return lines
    }

    /// Refuses rules that would match nothing in `report` without a word: an offer or attribute (or intersection)
    /// the audit does not have, or a metric it did not compute (an opt-in one not asked for, a recommendation
    /// metric without lists, a counterfactual one without twins).
    ///
    /// - Throws: ``FairgroundError`` naming the policy file, the rule field, its line and what the audit has.
    public func check(against report: AuditReport) throws(FairgroundError) {
        // The protected attributes, then the intersections the findings name, each once.
        var knownAttributes = report.attributes.map(\.name)
        for f in report.findings where !knownAttributes.contains(f.attribute) { knownAttributes.append(f.attribute) }
        let computed = Set(report.findings.map(\.metric))
        for (i, rule) in rules.enumerated() {
            let line = lines.indices.contains(i) ? lines[i] : RuleLines()
            for (j, offer) in (rule.offers ?? []).enumerated() where !report.offers.contains(offer) {
                throw FairgroundError(file: source, field: "rules[\(i)].offers[\(j)]",
                                 line: line.offers.indices.contains(j) ? line.offers[j] : line.rule,
                                 expected: "an offer of this audit: " + report.offers.joined(separator: ", "),
                                 found: offer)
            }
            for (j, attribute) in (rule.attributes ?? []).enumerated() where !knownAttributes.contains(attribute) {
                throw FairgroundError(file: source, field: "rules[\(i)].attributes[\(j)]",
                                 line: line.attributes.indices.contains(j) ? line.attributes[j] : line.rule,
                                 expected: "an attribute of this audit's findings (protected, an intersection, or sensitive when the privacy view probes it): "
                                     + knownAttributes.joined(separator: ", "),
                                 found: attribute)
            }
            if !computed.contains(rule.metric) {
                let descriptor = rule.metric.descriptor
                let why = !descriptor.isDefault
                    ? "it is opt-in: add --metric \(rule.metric)"
                    : descriptor.needsPrivileged
                    ? "it needs a privileged level: --privileged ATTRIBUTE=LEVEL"
                    : "this audit has no findings of it (recommendation metrics need a model that makes lists, "
                        + "counterfactual ones twin worlds, privacy ones the privacy view: --privacy on, or a spec "
                        + "with consent or sensitive traits)"
                throw FairgroundError(file: source, field: "rules[\(i)].metric", line: line.rule,
                                 expected: "a metric this audit computed; \(why)", found: rule.metric.name)
            }
        }
    }

    /// Refuses, before any long work, rules the audit about to run cannot check: an offer the data do not have, a
    /// protected attribute (or intersection) they do not have (privacy rules may name sensitive traits: those are
    /// checked after the audit), a metric the audit will not compute — opt-in and not asked for, needing a
    /// privileged level none of the rule's attributes has, needing lists, twins or the privacy view the data do not
    /// carry.
    ///
    /// - Throws: ``FairgroundError`` naming the policy file, the rule field, its line and what is missing.
    public func check(before data: AuditData, configuration: AuditConfiguration) throws(FairgroundError) {
        let active = Self.activeMetrics(configuration)
        let known = data.attributes.map(\.name)
        for (i, rule) in rules.enumerated() {
            let line = lines.indices.contains(i) ? lines[i] : RuleLines()
            let field = "rules[\(i)]"
            for (j, offer) in (rule.offers ?? []).enumerated() where !data.offers.contains(offer) {
                throw FairgroundError(file: source, field: field + ".offers[\(j)]",
                                      line: line.offers.indices.contains(j) ? line.offers[j] : line.rule,
                                      expected: "an offer of this audit: " + data.offers.joined(separator: ", "),
                                      found: offer)
            }
            let descriptor = rule.metric.descriptor
            if descriptor.view != .privacy {
                for (j, attribute) in (rule.attributes ?? []).enumerated() where !known.contains(attribute) {
                    throw FairgroundError(file: source, field: field + ".attributes[\(j)]",
                                          line: line.attributes.indices.contains(j) ? line.attributes[j] : line.rule,
                                          expected: "a protected attribute or intersection of this audit: "
                                              + known.joined(separator: ", "),
                                          found: attribute)
                }
            }
            let why: String?
            if let missing = Self.missingSetting(rule, active: active, hasPrivileged: { name in
                data.attributes.contains { $0.name == name && $0.privileged != nil }
            }, anyPrivileged: data.attributes.contains { $0.privileged != nil }) {
                why = missing
            } else if descriptor.view == .recommendation && data.lists == nil {
                why = "recommendation metrics need a model that makes top-K lists"
            } else if descriptor.view == .counterfactual && data.counterfactuals.isEmpty {
                why = "counterfactual metrics need twin worlds"
            } else if descriptor.view == .counterfactual, let kinds = rule.worlds,
                      !data.counterfactuals.contains(where: { kinds.contains($0.kind) }) {
                why = "this audit has no twin worlds of kind " + kinds.map(\.rawValue).joined(separator: ", ")
                    + " (path-specific twins need --keep MEDIATOR; naive flips are left out with --no-naive)"
            } else if descriptor.view == .privacy && data.privacy == nil {
                why = "privacy metrics need the privacy view: --privacy on, or a spec with consent or sensitive traits"
            } else {
                why = nil
            }
            if let why {
                throw FairgroundError(file: source, field: field + ".metric", line: line.rule,
                                      expected: "a metric this audit will compute; \(why)", found: rule.metric.name)
            }
        }
    }

    /// Refuses, from the audit's settings alone — before any data is read — rules those settings cannot serve: an
    /// opt-in metric that is not asked for, a metric that needs a privileged level none of the rule's attributes
    /// has (`privileged`: attribute → level, as `--privileged` gives them), a metric of a view the run will not
    /// have (`unavailable`: each such view with why, e.g. the privacy view under `--privacy off`), or a
    /// counterfactual rule whose `worlds` the run will not make (`worlds`: the kinds of twins it will, when known).
    ///
    /// - Throws: ``FairgroundError`` naming the policy file, the rule's metric field and its line.
    public func check(configuration: AuditConfiguration, privileged: [String: String],
                      unavailable: [MetricDescriptor.View: String] = [:],
                      worlds: Set<CounterfactualWorld.Kind>? = nil) throws(FairgroundError) {
        let active = Self.activeMetrics(configuration)
        for (i, rule) in rules.enumerated() {
            let view = rule.metric.descriptor.view
            var why = Self.missingSetting(rule, active: active, hasPrivileged: { privileged[$0] != nil },
                                          anyPrivileged: !privileged.isEmpty)
            if why == nil, let reason = unavailable[view] {
                why = "this run has no \(view.rawValue) view: \(reason)"
            } else if why == nil, view == .counterfactual, let kinds = rule.worlds, let worlds,
                      !kinds.contains(where: worlds.contains) {
                why = "this run makes no twin worlds of kind " + kinds.map(\.rawValue).joined(separator: ", ")
                    + " (path-specific twins need --keep MEDIATOR; naive flips are left out with --no-naive)"
            }
            guard let why else { continue }
            throw FairgroundError(file: source, field: "rules[\(i)].metric",
                                  line: lines.indices.contains(i) ? lines[i].rule : nil,
                                  expected: "a metric this audit will compute; \(why)", found: rule.metric.name)
        }
    }

    /// The metrics an audit with `configuration` computes when its data allow.
    static func activeMetrics(_ configuration: AuditConfiguration) -> Set<MetricID> {
        Set(MetricDescriptor.all.filter { $0.isDefault || (configuration.metrics ?? []).contains($0.id) }.map(\.id))
    }

    /// Why the settings cannot serve `rule` (`nil`: they can): an opt-in metric not asked for, or no privileged
    /// level on the rule's attributes (any attribute when it names none) for a metric that needs one.
    static func missingSetting(_ rule: Rule, active: Set<MetricID>, hasPrivileged: (String) -> Bool,
                               anyPrivileged: Bool) -> String? {
        if !active.contains(rule.metric) { return "it is opt-in: add --metric \(rule.metric)" }
        guard rule.metric.descriptor.needsPrivileged else { return nil }
        let served = rule.attributes.map { $0.contains(where: hasPrivileged) } ?? anyPrivileged
        return served ? nil : "it needs a privileged level: --privileged ATTRIBUTE=LEVEL"
            + (rule.attributes.map { " for " + $0.joined(separator: ", ") } ?? "")
    }

    static func describe(_ error: DecodingError, file: String) -> FairgroundError {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context):
            return FairgroundError(file: file, field: path(context.codingPath + [key]), expected: "a value for this field")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return FairgroundError(file: file, field: path(context.codingPath), expected: "a value of type \(type)")
        case .dataCorrupted(let context):
            return FairgroundError(file: file, field: path(context.codingPath), expected: "valid YAML",
                              found: context.debugDescription)
        @unknown default:
            return FairgroundError(file: file, field: "document", expected: "a policy", found: "\(error)")
        }
    }

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
        case .interval: interval = check.simultaneous
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
        let shown = FindingText.value(value) + (pointOnly ? "" : " " + FindingText.interval(interval)
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
