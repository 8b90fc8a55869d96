import Foundation
import Testing

/// `fairground audit --non-members`: the privacy view gains the membership attack (and nothing else changes), a
/// policy bounds `membership_auc` and `empirical_epsilon` (exit 1 when an overfitted model breaks them, 0 when a
/// model of other users keeps them), and what the run cannot serve is refused with exit status 2 before any work.
extension CommandLineTests {
    /// 400 members, 400 fresh users of the same spec and seed, a model overfitted on the members (30 sweeps), and a
    /// model of the same shape trained on a third world.
    func membershipAuditFixture(_ name: String) throws -> (members: String, fresh: String, model: String, other: String) {
        try membershipFixture(name, users: 400, iterations: 30)
    }

    func reportJSON(_ directory: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/report.json")))
            as! [String: Any]
    }

    @Test func auditWithNonMembersGainsTheAttack() throws {
        let f = try membershipAuditFixture("membership-audit")
        let without = scratch("membership-audit-without"), with = scratch("membership-audit-with")
        let common = ["--model", f.model, "--bootstrap", "20", "-q"]
        let a = try fairground(["audit", f.members, "--out", without] + common)
        let b = try fairground(["audit", f.members, "--out", with, "--non-members", f.fresh] + common)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        let plain = try reportJSON(without), attacked = try reportJSON(with)
        func findings(_ r: [String: Any]) -> [String: [String: Any]] {
            Dictionary(uniqueKeysWithValues: (r["findings"] as! [[String: Any]]).map { ($0["id"] as! String, $0) })
        }
        let before = findings(plain), after = findings(attacked)
        #expect(Set(after.keys).subtracting(before.keys) == ["privacy/membership/membership_auc/factors",
                                                            "privacy/membership/empirical_epsilon/factors"])
        #expect(Set(before.keys).isSubset(of: Set(after.keys)))
        // Nothing else changes but the Holm family (one more test).
        for (id, finding) in before {
            #expect(NSDictionary(dictionary: finding["estimate"] as! [String: Any])
                    .isEqual(to: after[id]!["estimate"] as! [String: Any]), "\(id)")
        }
        #expect((attacked["tests"] as! Int) == (plain["tests"] as! Int) + 1)
        #expect(plain["privacy"] == nil)
        let auc = after["privacy/membership/membership_auc/factors"]!
        #expect(((auc["estimate"] as! [String: Any])["lower"] as! Double) > 0.6, "\(auc)")
        #expect(auc["verdict"] as? String == "material")
        let membership = (attacked["privacy"] as! [String: Any])["membership"] as! [String: Any]
        #expect(membership["non_members"] as? String == f.fresh && membership["variant"] as? String == "factors")
        let markdown = try read(with + "/report.md"), html = try read(with + "/report.html")
        #expect(markdown.contains("**Membership**: an attacker who knows a user's history and the item factors tells"),
                "\(markdown)")
        #expect(html.contains("Can an attacker tell the model&apos;s training users from others?"))
        #expect(html.contains("What the attack proves about ε"))
        // The lists attacker.
        let listed = scratch("membership-audit-lists")
        let lists = try fairground(["audit", f.members, "--out", listed, "--non-members", f.fresh, "--attack-variant",
                                    "lists"] + common)
        #expect(lists.status == 0, "\(lists.stderr)")
        #expect((try reportJSON(listed)["findings"] as! [[String: Any]]).contains {
            $0["id"] as? String == "privacy/membership/membership_auc/lists"
        })
    }

    @Test func aPolicyBoundsTheAttack() throws {
        let f = try membershipAuditFixture("membership-policy")
        for (metric, bound) in [("membership_auc", "0.55"), ("empirical_epsilon", "0.1")] {
            let policy = scratch("membership-policy-\(metric).yaml")
            try "version: 1\nrules:\n  - name: attack\n    metric: \(metric)\n    at_most: \(bound)\n"
                .write(toFile: policy, atomically: true, encoding: .utf8)
            for (model, expected) in [(f.model, Int32(1)), (f.other, Int32(0))] {
                let out = scratch("membership-policy-report")
                let r = try fairground("audit", f.members, "--model", model, "--non-members", f.fresh, "--out", out,
                                       "--policy", policy, "--bootstrap", "20", "-q")
                #expect(r.status == expected, "\(metric) on \(model): \(r.status) \(r.stderr)")
                if expected == 1 { #expect(r.stderr.contains("policy violated: attack"), "\(r.stderr)") }
                let outcome = try #require((try reportJSON(out)["policy"] as? [[String: Any]])?.first)
                #expect(outcome["status"] as? String == (expected == 1 ? "violated" : "passed"), "\(outcome)")
            }
        }
    }

    @Test func auditRefusesWhatTheAttackCannotServe() throws {
        let world = scratch("membership-refusal-world"), model = scratch("membership-refusal.fgm")
        #expect(try fairground("generate", "credit-offers", "--users", "200", "--out", world, "-q").status == 0)
        #expect(try fairground("train", world, "--out", model, "--factors", "8", "--iterations", "2", "--holdout", "0",
                               "-q").status == 0)
        let policy = scratch("membership-refusal.yaml")
        try "version: 1\nrules:\n  - name: attack\n    metric: empirical_epsilon\n    at_most: 1\n"
            .write(toFile: policy, atomically: true, encoding: .utf8)
        let atLeast = scratch("membership-refusal-at-least.yaml")
        try "version: 1\nrules:\n  - name: attack\n    metric: empirical_epsilon\n    at_least: 1\n"
            .write(toFile: atLeast, atomically: true, encoding: .utf8)
        let cases: [([String], [String])] = [
            (["--model", model, "--policy", policy], ["rules[0].metric", "--non-members"]),
            (["--scores", world + "/scores.csv", "--non-members", world], ["--non-members", "score file"]),
            (["--model", model, "--non-members", world, "--privacy", "off"], ["--non-members", "--privacy off"]),
            (["--model", model, "--non-members", world, "--shard", "1/2"], ["--non-members", "--shard"]),
            (["--model", model, "--attack-variant", "lists"], ["--attack-variant", "--non-members"]),
            (["--model", model, "--non-members", world, "--policy", atLeast], ["rules[0].at_least", "lower"]),
            (["--model", model, "--non-members", world], ["first_user"]),
        ]
        for (arguments, words) in cases {
            let out = scratch("membership-refused")
            let r = try fairground(["audit", world, "--out", out] + arguments)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: "), "\(arguments): \(r.status) \(r.stderr)")
            for word in words { #expect(r.stderr.contains(word), "\(arguments): \(r.stderr) lacks \(word)") }
            // Refused before any twin is built (no progress line) and nothing written.
            #expect(!r.stderr.contains("twins under"), "\(arguments): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
