import Foundation
import Testing

/// Issue 26, point 3: a rule that matches nothing is refused before the audit's tests run (exit 2, naming the
/// rule's line), and training on zero interactions is refused — where both used to end in exit 0.
extension CommandLineTests {
    /// Reproduces the issue: `offers: []`, or `worlds: [path_specific]` without `--keep`, ended "inconclusive" and
    /// the gate exited 0, where the README promises exit 2.
    @Test func aRuleThatMatchesNothingIsRefused() throws {
        let (world, model) = try auditFixture("matches-nothing")
        let out = scratch("matches-nothing-report")
        let empty = try write("""
            version: 1
            rules:
              - {name: parity, metric: demographic_parity_ratio, at_least: 0.8}
              - {name: nothing, metric: demographic_parity_ratio, at_least: 0.8, offers: []}
            """, "empty-offers.yaml")
        let r1 = try fairground("audit", world, "--model", model, "--out", out, "--policy", empty, "-q")
        #expect(r1.status == 2 && r1.stderr.hasPrefix("error: ") && r1.stderr.contains("empty-offers.yaml:4")
                && r1.stderr.contains("rules[1].offers") && r1.stderr.contains("at least one entry"), "\(r1.stderr)")
        let pathSpecific = try write("""
            version: 1
            rules:
              - {name: mediated, metric: counterfactual_flip_rate, at_most: 0.01, worlds: [path_specific]}
            """, "path-specific.yaml")
        let r2 = try fairground("audit", world, "--model", model, "--out", out, "--policy", pathSpecific, "-q",
                                "--bootstrap", "20")
        #expect(r2.status == 2 && r2.stderr.contains("path-specific.yaml:3") && r2.stderr.contains("rules[0].metric")
                && r2.stderr.contains("--keep"), "\(r2.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // A privacy rule under --privacy off: refused before the twins are built (issue 24, point 3).
        let privacy = try write("""
            version: 1
            rules:
              - {name: probes, metric: inference_auc, at_most: 0.7}
            """, "privacy-rule.yaml")
        let r3 = try fairground("audit", world, "--model", model, "--out", out, "--policy", privacy, "-q",
                                "--privacy", "off")
        #expect(r3.status == 2 && r3.stderr.contains("privacy-rule.yaml:3") && r3.stderr.contains("no privacy view")
                && r3.stderr.contains("--privacy off"), "\(r3.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // With --keep the same rule has worlds to check.
        let kept = try fairground("audit", world, "--model", model, "--out", out, "--policy", pathSpecific, "-q",
                                  "--bootstrap", "20", "--keep", "zip_region")
        #expect(kept.status == 0 || kept.status == 1, "\(kept.stderr)")
    }

    /// Reproduces the issue: `train --exclude-categories` naming every category trained on zero interactions and
    /// wrote a model, exit 0.
    @Test func trainingOnNothingIsRefused() throws {
        let (world, _) = try auditFixture("train-nothing")
        let out = scratch("nothing.fgm")
        let r = try fairground("train", world, "--out", out, "--holdout", "0", "-q", "--exclude-categories",
                               "groceries,electronics,premium_credit,payday_loan")
        #expect(r.status == 2 && r.stderr.hasPrefix("error: ") && r.stderr.contains("interactions")
                && r.stderr.contains("at least one interaction"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
