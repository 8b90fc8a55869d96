import Foundation
import Testing

/// `audit --score-threshold OFFER=T` and `--budget OFFER=N`: the decision rule a user really runs, audited as run
/// (issue 23, points 3 and 8).
extension CommandLineTests {
    /// A table of a CSV file by column name.
    func columns(_ path: String) throws -> [String: [Substring]] {
        let rows = try read(path).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        var out: [String: [Substring]] = [:]
        for (c, name) in rows[0].enumerated() { out[String(name)] = rows.dropFirst().map { $0[c] } }
        return out
    }

    /// The score at the q-quantile of a column (a threshold that some users reach and most do not).
    func quantile(_ values: [Substring], _ q: Double) -> Float {
        let sorted = values.compactMap { Float($0) }.sorted()
        return sorted[Int(q * Double(sorted.count - 1))]
    }

    @Test func aScoreThresholdOnAScoreFileIsADirectCount() throws {
        let (world, model) = try auditFixture("threshold")
        let plain = scratch("threshold-plain")
        #expect(try fairground("audit", world, "--model", model, "--out", plain, "--bootstrap", "30", "--no-naive").status == 0)
        // The model's factual and twin scores, written as an external model would.
        let decisions = try columns(plain + "/decisions.csv")
        func csv(_ name: String, _ column: (String) -> String) throws -> String {
            var text = "user_id,offer,score\n"
            for offer in ["premium_credit", "payday_loan"] {
                for (id, score) in zip(decisions["user_id"]!, decisions[column(offer)]!) { text += "\(id),\(offer),\(score)\n" }
            }
            return try write(text, name)
        }
        let factual = try csv("threshold-factual.csv") { "\($0).score" }
        let male = try csv("threshold-male.csv") { "\($0).twin_score[gender=male]" }
        let t = quantile(decisions["premium_credit.score"]!, 0.85)
        let out = scratch("threshold-report")
        let r = try fairground("audit", world, "--scores", factual, "--twin-scores", "gender=male=\(male)",
                               "--score-threshold", "premium_credit=\(t)", "--budget", "payday_loan=250",
                               "--out", out, "--bootstrap", "30")
        #expect(r.status == 0, "\(r.stderr)")
        let audited = try columns(out + "/decisions.csv")
        let scores = audited["premium_credit.score"]!.map { Float($0)! }
        let twins = audited["premium_credit.twin_score[gender=male]"]!.map { Float($0)! }
        // Every user, and every twin, is targeted exactly when their score reaches the threshold.
        #expect(audited["premium_credit.targeted"]!.map { $0 == "1" } == scores.map { $0 >= t })
        #expect(audited["premium_credit.twin_targeted[gender=male]"]!.map { $0 == "1" } == twins.map { $0 >= t })
        #expect(audited["payday_loan.targeted"]!.filter { $0 == "1" }.count == 250)
        // Each gender's selection rate is a direct count of its users at or above the threshold.
        let genders = try columns(world + "/population.csv")["gender"]!
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as! [String: Any]
        let findings = report["findings"] as! [[String: Any]]
        let parity = try #require(findings.first {
            $0["metric"] as? String == "demographic_parity_difference" && $0["offer"] as? String == "premium_credit"
                && $0["attribute"] as? String == "gender"
        })
        for group in parity["groups"] as! [[String: Any]] {
            let name = group["group"] as! String
            let members = genders.indices.filter { genders[$0] == name }
            #expect(group["members"] as? Int == members.count)
            #expect(group["numerator"] as? Double == Double(members.filter { scores[$0] >= t }.count), "\(name)")
        }
        // The rules are recorded, and said in the report.
        let rules = (report["configuration"] as? [String: Any])?["decision_rules"] as? [[String: Any]]
        #expect(rules?.count == 2 && (rules?.first?["rule"] as? [String: Any])?["kind"] as? String == "score_threshold")
        #expect(try read(out + "/report.md").contains("Campaign: premium_credit: score ≥ \(t); payday_loan: top 250 users by score"))
        // A baseline audited under another rule is refused, naming the difference.
        let policy = try write("version: 1\nrules:\n  - {name: r, metric: demographic_parity_difference, no_regression: true}\n",
                               "threshold-policy.yaml")
        let b = try fairground("audit", world, "--scores", factual, "--out", scratch("threshold-baseline"),
                               "--bootstrap", "30", "--policy", policy, "--baseline", out + "/report.json")
        #expect(b.status == 2 && b.stderr.contains("premium_credit's decision rule score ≥ \(t) → top 10.0% by score"),
                "\(b.stderr)")
        // Bad rules: an unknown offer, a fractional budget, a malformed value.
        let unknown = try fairground("audit", world, "--scores", factual, "--out", scratch("never"), "--score-threshold", "mortgage=1")
        #expect(unknown.status == 2 && unknown.stderr.contains("--score-threshold/--budget") && unknown.stderr.contains("mortgage"),
                "\(unknown.stderr)")
        let fraction = try fairground("audit", world, "--scores", factual, "--out", scratch("never"), "--budget", "payday_loan=2.5")
        #expect(fraction.status == 2 && fraction.stderr.contains("--budget"), "\(fraction.stderr)")
        let twice = try fairground("audit", world, "--scores", factual, "--out", scratch("never"),
                                   "--budget", "payday_loan=2", "--score-threshold", "payday_loan=0.1")
        #expect(twice.status == 2 && twice.stderr.contains("one decision rule per offer"), "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch("never")))
    }

    /// Sharded audits under a threshold and a budget merge to the single-machine report byte for byte.
    @Test func shardedAuditsApplyDecisionRulesExactly() throws {
        let (world, model) = try shardedFixture("sharded-rules")
        let probe = scratch("sharded-rules-probe")
        #expect(try fairground("audit", world, "--model", model, "--out", probe, "--bootstrap", "20", "-q").status == 0)
        let t = quantile(try columns(probe + "/decisions.csv")["premium_credit.score"]!, 0.8)
        let options = ["--bootstrap", "30", "--score-threshold", "premium_credit=\(t)", "--budget", "payday_loan=1500"]
        let single = scratch("sharded-rules-single")
        let s = try fairground(["audit", world, "--model", model, "--out", single, "--threads", "2", "-q"] + options)
        #expect(s.status == 0, "\(s.stderr)")
        for n in [2, 3] {
            let (report, status) = try shardedAudit(world, model, shards: n, name: "sharded-rules-\(n)", options: options)
            #expect(status == 0)
            for file in ["report.json", "report.md", "report.html", "junit.xml", "decisions.csv"] {
                let a = FileManager.default.contents(atPath: single + "/" + file)
                let b = FileManager.default.contents(atPath: report + "/" + file)
                #expect(a != nil && a == b, "N = \(n): \(file) differs")
            }
        }
    }
}

/// One error type and one path for every refusal (issue 23, point 6): flag checks, file failures and bad input
/// all print one `error: PLACE: …` line and exit 2.
extension CommandLineTests {
    @Test func everyRefusalTakesOnePath() throws {
        let cases: [([String], String)] = [
            (["evaluate", "m.fgm", "--train", "a", "--test", "b", "--k", "0"], "error: --k: expected a list length of at least 1, found '0'"),
            (["probe", "w", "--out", "o"], "error: --factors/--model: expected exactly one of them"),
            (["split", "w", "--out", "o", "--holdout", "1.5"], "error: --holdout: expected a share in (0, 1), found '1.5'"),
            (["train", "w", "--out", "m.fgm", "--threads", "0"], "error: --threads: expected from 1 to 1024 threads, found '0'"),
            (["recommend", scratch("no-such.fgm"), "--similar-to", "1"],
             "error: \(scratch("no-such.fgm")): file: expected a readable model file, found 'No such file or directory'"),
            (["split", "w", "--out", "o", "--bogus"], "error: Unknown option '--bogus'"),
        ]
        for (arguments, expected) in cases {
            let r = try fairground(arguments)
            #expect(r.status == 2 && r.stderr.hasPrefix(expected), "\(arguments): \(r.stderr)")
        }
    }
}
