public import Audit
import FileSupport

/// What a policy refuses before its verdicts: rules the report, the data or the run's settings cannot serve —
/// each refusal names the policy file, the rule's field and its line.
extension Policy {
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
                    : descriptor.needsNonMembers ? Self.needsNonMembers
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
            } else if descriptor.needsNonMembers && data.privacy?.membership == nil {
                why = Self.needsNonMembers
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
    /// have (`unavailable`: each such view with why, e.g. the privacy view under `--privacy off`), a
    /// counterfactual rule whose `worlds` the run will not make (`worlds`: the kinds of twins it will, when known),
    /// or a rule on the membership attack's metrics when the run attacks no model (`nonMembers` false: no
    /// `--non-members` world; the attack brings its own privacy view, so `unavailable` does not apply to them).
    ///
    /// - Throws: ``FairgroundError`` naming the policy file, the rule's metric field and its line.
    public func check(configuration: AuditConfiguration, privileged: [String: String],
                      unavailable: [MetricDescriptor.View: String] = [:],
                      worlds: Set<CounterfactualWorld.Kind>? = nil, nonMembers: Bool = false) throws(FairgroundError) {
        let active = Self.activeMetrics(configuration)
        for (i, rule) in rules.enumerated() {
            let view = rule.metric.descriptor.view
            var why = Self.missingSetting(rule, active: active, hasPrivileged: { privileged[$0] != nil },
                                          anyPrivileged: !privileged.isEmpty)
            if why == nil, rule.metric.descriptor.needsNonMembers {
                if !nonMembers { why = Self.needsNonMembers }
            } else if why == nil, let reason = unavailable[view] {
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

    /// Why a rule on the membership attack's metrics cannot be checked without a non-member world.
    static let needsNonMembers = "the membership attack's metrics need a world of users the model never saw: "
        + "--non-members DIR (same spec and seed, e.g. generate --first-user past the audited users)"

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
}
