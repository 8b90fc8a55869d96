import Foundation
import Testing

/// The CI contract (issue 24, point 3): exit 0 without a policy or when it holds, 1 when a rule is violated, 2 on
/// bad input; `junit.xml` agrees with the exit code; a failed gate prints one line per violated rule on standard
/// error even with `-q`; inconclusive rules warn, or fail with `--inconclusive fail`; rules the settings cannot
/// serve are refused before the audit; the README's GitHub Actions example runs as written.
extension CommandLineTests {
    /// The number in `failures="N"` of a JUnit document's `<testsuites>` element.
    func junitFailures(_ xml: String) -> Int? {
        guard let range = xml.range(of: "<testsuites name=\"fairground audit\" tests=\"") else { return nil }
        let rest = xml[range.upperBound...]
        guard let f = rest.range(of: "failures=\"") else { return nil }
        return Int(rest[f.upperBound...].prefix { $0.isNumber })
    }

    /// Reproduces the issue: with `-q` a failed gate exited 1 and printed nothing; without a policy the exit code
    /// was 0 while `junit.xml` reported `failures="52"`; an inconclusive rule was a `<skipped>` case.
    @Test func theExitCodeJUnitAndStandardErrorAgree() throws {
        let (world, model) = try auditFixture("ci-contract")
        // No policy: exit 0, and no failing test case however many findings are material.
        let plain = scratch("ci-plain")
        let r0 = try fairground("audit", world, "--model", model, "--out", plain, "--bootstrap", "20", "-q")
        #expect(r0.status == 0 && r0.stdout.isEmpty && r0.stderr.isEmpty, "\(r0.stdout) \(r0.stderr)")
        let junit0 = try read(plain + "/junit.xml")
        #expect(junitFailures(junit0) == 0 && !junit0.contains("<skipped"))
        #expect(try read(plain + "/report.json").contains("\"verdict\" : \"material\""))
        #expect(junit0.contains("<system-out>material gap: "))

        // Two violated rules and one that passes: exit 1, one stderr line per violated rule, even with -q.
        let policy = try write("""
            version: 1
            rules:
              - {name: near parity, metric: demographic_parity_ratio, at_least: 0.95, evidence: per_finding, offers: [premium_credit], attributes: [gender]}
              - {name: no material gap, metric: demographic_parity_difference, material: 0.8, evidence: per_finding, offers: [premium_credit], attributes: [gender]}
              - {name: loose, metric: demographic_parity_difference, at_most: 0.9}
            """, "ci-violated.yaml")
        let gated = scratch("ci-gated")
        let r1 = try fairground("audit", world, "--model", model, "--out", gated, "--bootstrap", "20", "-q",
                                "--policy", policy)
        #expect(r1.status == 1, "\(r1.stderr)")
        #expect(r1.stdout.isEmpty, "\(r1.stdout)")
        let lines = r1.stderr.split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("policy violated: ") }, "\(r1.stderr)")
        #expect(lines.first?.hasPrefix("policy violated: near parity: campaign/premium_credit/gender/") == true)
        #expect(lines.last?.hasPrefix("policy violated: no material gap: ") == true)
        let junit1 = try read(gated + "/junit.xml")
        #expect(junitFailures(junit1) == 2 && !junit1.contains("<skipped"), "\(junit1)")

        // An inconclusive rule, built deliberately: a bound between the ratio's estimate and the upper end of its
        // simultaneous interval (the estimate is below it, the interval reaches back). A warning, exit 0; with
        // --inconclusive fail, exit 1 and a failing case.
        let report = try read(gated + "/report.json")
        #expect(report.contains("\"format_version\" : 3"))
        let json = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
        let ratio = try #require((json?["findings"] as? [[String: Any]])?.first {
            $0["id"] as? String == "campaign/payday_loan/gender/demographic_parity_ratio"
        })
        let value = try #require((ratio["estimate"] as? [String: Any])?["value"] as? Double)
        let upper = try #require((ratio["simultaneous"] as? [String: Any])?["upper"] as? Double)
        try #require(upper > value + 1e-6, "the simultaneous interval ends at its estimate")
        let edge = try write("""
            version: 1
            rules:
              - {name: edge, metric: demographic_parity_ratio, at_least: \((value + upper) / 2), offers: [payday_loan], attributes: [gender]}
            """, "ci-edge.yaml")
        let warned = scratch("ci-warned")
        let r2 = try fairground("audit", world, "--model", model, "--out", warned, "--bootstrap", "20", "-q",
                                "--policy", edge)
        #expect(r2.status == 0 && r2.stdout.isEmpty, "\(r2.stderr)")
        #expect(r2.stderr.hasPrefix("warning: policy rule inconclusive: edge: campaign/payday_loan/gender/"), "\(r2.stderr)")
        let junit2 = try read(warned + "/junit.xml")
        #expect(junitFailures(junit2) == 0 && junit2.contains("<system-out>warning: inconclusive: "))
        let failed = scratch("ci-failed")
        let r3 = try fairground("audit", world, "--model", model, "--out", failed, "--bootstrap", "20", "-q",
                                "--policy", edge, "--inconclusive", "fail")
        #expect(r3.status == 1 && r3.stderr.hasPrefix("policy inconclusive (--inconclusive fail): edge"), "\(r3.stderr)")
        #expect(junitFailures(try read(failed + "/junit.xml")) == 1)
        #expect(try read(failed + "/report.md").contains("The gate fails (--inconclusive fail)."))
    }

    /// A rule that needs `--privileged`, or an opt-in metric, is refused before the audit runs — and a bad
    /// `--material` too — with exit 2 and nothing written.
    @Test func rulesTheSettingsCannotServeAreRefusedFirst() throws {
        let (world, model) = try auditFixture("ci-refused")
        let aif = try write("""
            version: 1
            rules:
              - {name: directional, metric: disparate_impact_ratio, at_least: 0.8}
            """, "ci-aif.yaml")
        let out = scratch("ci-refused-report")
        let r = try fairground("audit", world, "--model", model, "--out", out, "--policy", aif, "-q")
        #expect(r.status == 2 && r.stderr.hasPrefix("error: ") && r.stderr.contains("ci-aif.yaml")
                && r.stderr.contains("rules[0].metric") && r.stderr.contains("--privileged"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let optIn = try write("""
            version: 1
            rules:
              - {name: odds ratio, metric: equalized_odds_ratio, at_least: 0.8}
            """, "ci-opt-in.yaml")
        let r2 = try fairground("audit", world, "--model", model, "--out", out, "--policy", optIn, "-q")
        #expect(r2.status == 2 && r2.stderr.contains("--metric equalized_odds_ratio"), "\(r2.stderr)")
        for (flag, expected) in [("nonsense=0.8", "--material"), ("demographic_parity_ratio=1.5", "rate ratio in (0, 1)"),
                                 ("inference_auc=0.3", "an AUC in [0.5, 1)")] {
            let bad = try fairground("audit", world, "--model", model, "--out", out, "--material", flag, "-q")
            #expect(bad.status == 2 && bad.stderr.hasPrefix("error: ") && bad.stderr.contains(expected), "\(flag): \(bad.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        let badRule = try write("""
            version: 1
            rules:
              - {name: r, metric: inference_auc, material: 0.2}
            """, "ci-bad-material.yaml")
        let r3 = try fairground("audit", world, "--model", model, "--out", out, "--policy", badRule, "-q")
        #expect(r3.status == 2 && r3.stderr.contains("rules[0].material"), "\(r3.stderr)")
    }

    /// `--material` changes verdicts (and only the verdicts): a loose band makes the gender gap small.
    @Test func aRunsOwnThresholdChangesTheVerdicts() throws {
        let (world, model) = try auditFixture("ci-material")
        let strict = scratch("ci-strict"), loose = scratch("ci-loose")
        #expect(try fairground("audit", world, "--model", model, "--out", strict, "--bootstrap", "20", "-q").status == 0)
        #expect(try fairground("audit", world, "--model", model, "--out", loose, "--bootstrap", "20", "-q",
                               "--material", "demographic_parity_difference=0.01").status == 0)
        func verdict(_ directory: String) throws -> String? {
            let json = try read(directory + "/report.json")
            guard let id = json.range(of: "\"id\" : \"campaign\\/premium_credit\\/gender\\/demographic_parity_difference\"")
            else { return nil }
            let after = json[id.upperBound...]
            guard let v = after.range(of: "\"verdict\" : \"") else { return nil }
            return String(after[v.upperBound...].prefix { $0 != "\"" })
        }
        #expect(try verdict(strict) == "material")
        #expect(try verdict(loose) == "small")
        #expect(try read(loose + "/report.json").contains("\"threshold\" : 0.01"))
    }

    /// The README's GitHub Actions example: its `fairground` command lines run as written (the policy file from
    /// the README beside them), and the gate's exit status, standard error and `junit.xml` agree.
    @Test func gitHubActionsExampleRuns() throws {
        let readme = try read(Self.root + "/README.md")
        func block(after marker: String) throws -> String {
            let start = try #require(readme.range(of: marker + "\n```yaml\n"))
            let end = try #require(readme[start.upperBound...].range(of: "\n```"))
            return String(readme[start.upperBound..<end.lowerBound])
        }
        let workflow = try block(after: "<!-- github-actions-example -->")
        let policy = try block(after: "<!-- github-actions-policy -->")
        // The command lines of the `run:` steps that call fairground.
        var commands: [String] = []
        for line in workflow.split(separator: "\n") {
            var text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("run: ") { text.removeFirst(5) }
            if text.hasPrefix("fairground ") { commands.append(text) }
        }
        #expect(commands.count == 3, "\(commands)")
        #expect(workflow.contains("report_paths: report/junit.xml"))
        let work = scratch("github-actions")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try policy.write(toFile: work + "/fairness-policy.yaml", atomically: true, encoding: .utf8)
        let binDirectory = (Self.binary as NSString).deletingLastPathComponent
        var last: Result?
        for command in commands {
            let words = command.split(separator: " ").map(String.init)
            last = try fairground(Array(words.dropFirst()), environment: ["PATH": binDirectory + ":/usr/bin:/bin"],
                                  in: work)
            if command != commands.last { #expect(last?.status == 0, "\(command): \(last?.stderr ?? "")") }
        }
        let gate = try #require(last)
        #expect(gate.status == 0 || gate.status == 1, "\(gate.stderr)")
        let failures = junitFailures(try read(work + "/report/junit.xml"))
        let violated = gate.stderr.split(separator: "\n").filter { $0.hasPrefix("policy violated: ") }.count
        #expect(failures == violated && (gate.status == 1) == (violated > 0), "\(gate.status): \(gate.stderr)")
        #expect(gate.stdout.isEmpty)
    }
}
