public import Audit
import FileSupport
import Population
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
///
/// The membership attack's metrics (they need `--non-members`): `membership_auc` is judged like any AUC, on its
/// DeLong interval. `empirical_epsilon` is a one-sided lower bound on the model's ε at the audit's confidence level,
/// not a test: an `at_most` rule is violated when the bound itself exceeds the maximum (the attack then proves,
/// at that confidence, that the release is not that private) and holds otherwise — a bound below the maximum is
/// no evidence that the model *is* that private, but no rule can ask for more; `at_least` is refused, and
/// `material: t` is violated when the bound exceeds t.
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
            // A lower bound can show a value too large, never one large enough.
            if rule.atLeast != nil && metric.descriptor.test == .lowerBound {
                throw FairgroundError(file: file, field: field + ".at_least", line: line,
                                      expected: "at_most, material or no_regression: \(metric) is a one-sided lower "
                                          + "bound, which can show the true value above a maximum but never above a "
                                          + "minimum", found: "at_least \(rule.atLeast!)")
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
}
