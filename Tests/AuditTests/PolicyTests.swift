import FileSupport
import Audit
import Pipeline
import Population
import TestSupport
import Foundation
import Testing

@Suite("Policies and baselines")
struct PolicyTests {
    /// A report with one finding per (metric, value, interval).
    func report(_ findings: [(MetricID, Double?, Double, Double)]) -> AuditReport {
        AuditReport(
            configuration: AuditConfiguration(), subject: "test", users: 100, offers: ["offer"],
            attributes: [.init(name: "gender", levels: ["f", "m"], privileged: nil)], tests: findings.count,
            findings: findings.map { metric, value, lower, upper in
                Finding(id: "campaign/offer/gender/\(metric)", view: .campaign, offer: "offer", attribute: "gender",
                        world: nil, metric: metric, convention: .fairlearn,
                        estimate: Estimate(value: value, lower: value == nil ? nil : lower, upper: value == nil ? nil : upper),
                        undefinedReason: value == nil ? "undefined: no truly interested users in f (0 of 12)" : nil,
                        pValue: nil, holmPValue: nil, verdict: .noMaterialGap, reason: "", groups: [])
            },
            attribution: [], counterfactuals: [])
    }

    let fourFifths = """
        version: 1
        rules:
          - name: four-fifths rule
            metric: demographic_parity_ratio
            at_least: 0.8
        """

    @Test("A bound is violated only when the whole interval is beyond it")
    func bounds() throws {
        let policy = try Policy.parse(fourFifths, file: "policy.yaml")
        func status(_ value: Double?, _ lower: Double, _ upper: Double) throws -> RuleOutcome.Status {
            try policy.evaluate(report([(.demographicParityRatio, value, lower, upper)]))[0].status
        }
        #expect(try status(0.7, 0.65, 0.75) == .violated)
        #expect(try status(0.75, 0.7, 0.85) == .inconclusive)
        #expect(try status(0.9, 0.78, 0.95) == .passed)
        #expect(try status(nil, 0, 0) == .inconclusive)
        let point = try Policy.parse(fourFifths + "\n    evidence: point", file: "policy.yaml")
        #expect(try point.evaluate(report([(.demographicParityRatio, 0.75, 0.7, 0.85)]))[0].status == .violated)
        // A rule on a metric the audit did not compute is refused, never a silent "inconclusive".
        #expect(throws: FairgroundError.self) { try policy.evaluate(report([(.demographicParityDifference, 0.1, 0.05, 0.15)])) }
    }

    /// A rule's `material`: the findings it covers are judged by its threshold, and it is violated only with
    /// evidence — the test rejects and the simultaneous interval of the rate ratio lies wholly outside the band; a
    /// material estimate whose interval reaches the band is inconclusive; small and none pass. With a bound or
    /// `no_regression`, `material` only sets the threshold.
    @Test("A rule's materiality threshold is violated only with evidence")
    func materialRules() throws {
        func finding(_ ratio: Estimate, simultaneous: Estimate, p: Double) -> Finding {
            var f = Finding(id: "campaign/offer/gender/demographic_parity_difference", view: .campaign, offer: "offer",
                            attribute: "gender", world: nil, metric: .demographicParityDifference,
                            convention: .fairlearn, estimate: Estimate(value: 0.05, lower: 0.03, upper: 0.07),
                            undefinedReason: nil, pValue: p, holmPValue: p, verdict: .inconclusive, reason: "tested",
                            groups: [])
            f.judge(by: .fourFifths, alpha: 0.05,
                    measured: MeasuredValue(estimate: ratio, simultaneous: simultaneous, equivalence: ratio))
            return f
        }
        func status(_ f: Finding, _ rule: String = "material: 0.8") throws -> RuleOutcome.Status {
            var r = report([])
            r.findings = [f]
            let policy = try Policy.parse("version: 1\nrules:\n  - {name: m, metric: demographic_parity_difference, \(rule)}",
                                          file: "p.yaml")
            return try policy.evaluate(r)[0].status
        }
        let evident = finding(Estimate(value: 0.6, lower: 0.55, upper: 0.65),
                              simultaneous: Estimate(value: 0.6, lower: 0.5, upper: 0.7), p: 1e-6)
        #expect(evident.verdict == .material)
        #expect(try status(evident) == .violated)
        let reaching = finding(Estimate(value: 0.75, lower: 0.7, upper: 0.79),
                               simultaneous: Estimate(value: 0.75, lower: 0.65, upper: 0.85), p: 1e-4)
        #expect(reaching.verdict == .material)
        #expect(try status(reaching) == .inconclusive)
        #expect(try status(reaching, "material: 0.8, evidence: per_finding") == .violated)
        let small = finding(Estimate(value: 0.9, lower: 0.85, upper: 0.95),
                            simultaneous: Estimate(value: 0.9, lower: 0.8, upper: 1.0), p: 1e-4)
        #expect(small.verdict == .small)
        #expect(try status(small) == .passed)
        // The rule's own threshold re-judges: at 0.95 the same finding is material (its interval reaches 0.95:
        // inconclusive), and the report shows the rule's verdict.
        #expect(try status(small, "material: 0.95") == .inconclusive)
        var r = report([])
        r.findings = [small]
        let judged = try Policy.parse("version: 1\nrules:\n  - {name: m, metric: demographic_parity_difference, material: 0.95}",
                                      file: "p.yaml").judged(r)
        #expect(judged.findings[0].verdict == .material && judged.findings[0].materiality?.threshold == 0.95)
        // With a bound, material sets the threshold only: a material finding within the bound passes.
        #expect(try status(evident, "material: 0.8, at_most: 0.5") == .passed)
    }

    /// Reproduces the issue: a rule naming an attribute or offer that does not exist used to be "inconclusive",
    /// JUnit `skipped`, exit 0. Now it is refused with the file, the line of the entry and what the audit has.
    @Test("A rule naming what the audit does not have is refused, with its line")
    func unknownNamesAreRefused() throws {
        func refusal(_ rule: String) throws -> FairgroundError? {
            let policy = try Policy.parse("version: 1\nrules:\n" + rule, file: "p.yaml")
            do { _ = try policy.evaluate(report([(.demographicParityRatio, 0.9, 0.85, 0.95)])); return nil } catch {
                return error
            }
        }
        let attribute = try #require(try refusal("  - name: r\n    metric: demographic_parity_ratio\n    at_least: 0.8\n    attributes:\n      - gender\n      - Gender\n"))
        #expect(attribute.field == "rules[0].attributes[1]" && attribute.line == 8 && attribute.found == "Gender", "\(attribute)")
        #expect(attribute.description.hasPrefix("p.yaml:8:") && attribute.description.contains("gender"), "\(attribute)")
        let offer = try #require(try refusal("  - {name: r, metric: demographic_parity_ratio, at_least: 0.8, offers: [mortgage]}\n"))
        #expect(offer.field == "rules[0].offers[0]" && offer.line == 3 && offer.description.contains("an offer of this audit: offer"), "\(offer)")
        let optIn = try #require(try refusal("  - {name: r, metric: equalized_odds_ratio, at_least: 0.8}\n"))
        #expect(optIn.field == "rules[0].metric" && optIn.description.contains("--metric equalized_odds_ratio"), "\(optIn)")
        #expect(try refusal("  - {name: r, metric: demographic_parity_ratio, at_least: 0.8, attributes: [gender], offers: [offer]}\n") == nil)
    }

    @Test("Contradictory bounds are refused when the policy is read")
    func contradictoryBounds() {
        do {
            _ = try Policy.parse("version: 1\nrules:\n  - {name: r, metric: demographic_parity_ratio, at_least: 0.8, at_most: 0.5}\n", file: "p.yaml")
            Issue.record("accepted at_least 0.8 with at_most 0.5")
        } catch {
            #expect(error.field == "rules[0]" && error.line == 3 && error.description.contains("at_least ≤ at_most"), "\(error)")
        }
    }

    @Test("No regression: worse than the baseline beyond the interval fails; within it passes")
    func regression() throws {
        let policy = try Policy.parse("""
            version: 1
            rules:
              - {name: no regression, metric: demographic_parity_difference, no_regression: true}
            """, file: "p.yaml")
        let baseline = report([(.demographicParityDifference, 0.05, 0.04, 0.06)])
        let worse = report([(.demographicParityDifference, 0.09, 0.07, 0.11)])
        let noisy = report([(.demographicParityDifference, 0.07, 0.04, 0.10)])
        #expect(try policy.evaluate(worse, baseline: baseline)[0].status == .violated)
        #expect(try policy.evaluate(noisy, baseline: baseline)[0].status == .passed)
        #expect(throws: FairgroundError.self) { try policy.evaluate(worse) }
        // A baseline survives its JSON round trip: written, read back, it judges exactly as the original.
        let path = NSTemporaryDirectory() + "fairground-policy-\(ProcessInfo.processInfo.processIdentifier)-baseline.json"
        try Data(try baseline.jsonBytes()).write(to: URL(fileURLWithPath: path))
        let decoded = try AuditReport.read(path: path)
        #expect(decoded == baseline)
        #expect(try policy.evaluate(worse, baseline: decoded) == policy.evaluate(worse, baseline: baseline))
    }

    @Test("Bad policy files name the file, the field and what was expected",
          arguments: [
            ("version: 2\nrules: [{name: a, metric: demographic_parity_ratio, at_least: 0.8}]", "p.yaml: version: expected 1"),
            ("version: 1\nrules: []", "p.yaml: rules: expected at least one rule"),
            ("version: 1\nrules: [{name: a, metric: parity, at_least: 0.8}]", "p.yaml:2: rules[0].metric: expected one of"),
            ("version: 1\nrules: [{name: a, metric: demographic_parity_ratio}]", "p.yaml: rules[0]: expected at_least, at_most, material or no_regression"),
            ("version: 1\nrules: [{name: a, metric: demographic_parity_ratio, at_leats: 0.8}]", "p.yaml:2: rules[0].at_leats: expected one of"),
            ("version: 1\nrules: [{metric: demographic_parity_ratio, at_least: 0.8}]", "p.yaml: rules[0].name: expected a value"),
            ("version: 1\nrules: [{name: a, metric: demographic_parity_ratio, at_least: high}]", "p.yaml: rules[0].at_least: expected a value of type"),
            ("version: 1\nrules: [{name: a, metric: demographic_parity_ratio, at_least: 0.8, evidence: vibes}]", "p.yaml:2: rules[0].evidence: expected interval, per_finding or point"),
          ])
    func badPolicies(_ text: String, _ message: String) {
        do {
            _ = try Policy.parse(text, file: "p.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}

/// Reproduces the issue: most malformed policies said only "The given data was not valid YAML.", and a UTF-8
/// byte-order mark was refused in policies and specs. Syntax errors now give their line and column; a BOM is
/// dropped.
@Suite struct YAMLMessageTests {
    @Test func syntaxErrorsNameTheirLineAndABOMIsAccepted() throws {
        do {
            _ = try Policy.parse("version: 1\nrules:\n  - {name: a, metric: [\n", file: "p.yaml")
            Issue.record("a broken policy was accepted")
        } catch {
            #expect(error.description.hasPrefix("p.yaml:4:1: document: expected valid YAML, found 'did not find"),
                    "\(error)")
        }
        let rule = "version: 1\nrules:\n  - {name: a, metric: demographic_parity_difference, at_most: 0.1}\n"
        #expect(try Policy.parse("\u{FEFF}" + rule, file: "p.yaml").rules.count == 1)
        let spec = try String(contentsOfFile: repositoryRoot + "/datasets/credit-offers.yaml", encoding: .utf8)
        #expect(try PopulationSpec.parse("\u{FEFF}" + spec, file: "s.yaml").attributes.count > 1)
        do {
            _ = try PopulationSpec.parse("version: 1\nname: x\nattributes: {a: {type: boolean, p: 0.5}\n", file: "s.yaml")
            Issue.record("a broken spec was accepted")
        } catch {
            #expect(error.description.hasPrefix("s.yaml:4:1: document: expected valid YAML"), "\(error)")
        }
    }
}
