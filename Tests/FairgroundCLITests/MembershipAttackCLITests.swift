import Foundation
import Recommender
import Testing

/// `fairground attack membership` end to end: an overfitted model is caught and its report says so, a private
/// model's promise is checked against the bound, the output is byte-identical on any thread count, and every bad
/// input is one `error:` line with exit status 2.
extension CommandLineTests {
    /// A world of `users` members, as many fresh users of the same spec and seed, a model overfitted on the
    /// members (64 factors, λ 0.01, `iterations` exact sweeps), and a model of the same shape trained on a third world.
    func membershipFixture(_ name: String, users: Int = 300, iterations: Int = 20) throws
        -> (members: String, fresh: String, model: String, other: String)
    {
        let members = scratch(name + "-members"), fresh = scratch(name + "-fresh"), third = scratch(name + "-third")
        let model = scratch(name + "-over.fgm"), other = scratch(name + "-other.fgm")
        for (dir, first) in [(members, 0), (fresh, users), (third, 2 * users)] {
            let g = try fairground("generate", "credit-offers", "--users", "\(users)", "--first-user", "\(first)",
                                   "--out", dir, "-q")
            #expect(g.status == 0, "\(g.stderr)")
        }
        for (world, file) in [(members, model), (third, other)] {
            let t = try fairground("train", world, "--out", file, "--factors", "64", "--regularization", "0.01",
                                   "--iterations", "\(iterations)", "--solver", "cholesky", "--holdout", "0", "-q")
            #expect(t.status == 0, "\(t.stderr)")
        }
        return (members, fresh, model, other)
    }

    @Test func membershipAttackCatchesAnOverfittedModel() throws {
        let f = try membershipFixture("attack")
        let out = scratch("attack-report")
        let r = try fairground("attack", "membership", f.members, "--model", f.model, "--non-members", f.fresh,
                               "--out", out, "--seed", "3")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("The attack tells members from non-members with AUC"), "\(r.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
            as! [String: Any]
        let result = json["result"] as! [String: Any]
        #expect(json["format"] as? String == "fairground-membership-attack")
        #expect((result["lower"] as! Double) > 0.6, "\(result["lower"]!)")
        #expect(((result["epsilon"] as! [String: Any])["value"] as! Double) > 0.5)
        let markdown = try read(out + "/report.md"), html = try read(out + "/report.html")
        #expect(markdown.contains("**The attack tells members from non-members**"))
        #expect(html.contains("true-positive rate") && html.contains("false-positive rate") && html.contains("<polyline"))
        #expect(!html.contains("promised ε"))
        // The lists attacker and JSON on standard output.
        let lists = try fairground("attack", "membership", f.members, "--model", f.model, "--non-members", f.fresh,
                                   "--out", scratch("attack-lists"), "--variant", "lists", "--list-length", "20", "--json")
        #expect(lists.status == 0, "\(lists.stderr)")
        #expect(lists.stdout.contains("\"variant\" : \"lists\"") && lists.stdout.contains("\"list_length\" : 20"))
    }

    /// Item factors trained on other users of the same spec: no evidence of membership, no ε.
    @Test func membershipAttackOnIndependentItemFactorsFindsNothing() throws {
        let f = try membershipFixture("attack-independent")
        let out = scratch("attack-independent-report")
        let r = try fairground("attack", "membership", f.members, "--model", f.other, "--non-members", f.fresh,
                               "--out", out, "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let result = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any])["result"]
            as! [String: Any]
        let area = result["area"] as! Double
        #expect(abs(area - 0.5) < 0.1, "AUC \(area)")
        #expect(((result["epsilon"] as! [String: Any])["value"] as! Double) < 0.3)
    }

    /// The same inputs and seed give the same bytes on 1 and 2 threads.
    @Test func membershipAttackIsDeterministic() throws {
        let f = try membershipFixture("attack-determinism")
        var reports: [[Data]] = []
        for threads in ["1", "2"] {
            let out = scratch("attack-determinism-\(threads)")
            let r = try fairground("attack", "membership", f.members, "--model", f.model, "--non-members", f.fresh,
                                   "--out", out, "--variant", "lists", "--threads", threads, "-q")
            #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
            reports.append(try ["report.json", "report.md", "report.html"].map {
                try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0))
            })
        }
        #expect(reports[0] == reports[1])
    }

    /// A private model's promise is checked: broken when the bound exceeds it (the overfitted model, labelled as
    /// if it were private, must be caught), kept when it does not; the chart draws the promise's bound.
    @Test func membershipAttackChecksThePromise() throws {
        let f = try membershipFixture("attack-promise")
        for (epsilon, broken) in [(0.5, true), (50.0, false)] {
            var model = try FactorModel.read(path: f.model)
            model.privacy = PrivacyGuarantee(epsilon: epsilon, delta: 1e-6, accountant: "rdp",
                                             releases: [GaussianRelease(noiseMultiplier: 4.530877117, count: 1)],
                                             clip: 1, maxItems: 50, itemSelection: "uniform", confidenceCap: 11)
            let labelled = scratch("attack-promise-\(epsilon).fgm"), out = scratch("attack-promise-\(epsilon)")
            try model.write(to: labelled)
            let r = try fairground("attack", "membership", f.members, "--model", labelled, "--non-members", f.fresh,
                                   "--out", out)
            #expect(r.status == 0, "\(r.stderr)")
            let promised = epsilon == 0.5 ? "0.5" : "50.0"
            #expect(r.stdout.contains(broken ? "exceeds the promised ε = \(promised)" : "stays below the promised ε = \(promised)"),
                    "\(r.stdout)")
            #expect(r.stdout.contains("δ = 1e-6"), "\(r.stdout)")
            let html = try read(out + "/report.html")
            #expect(html.contains("most a model with the promised ε = \(promised) allows"))
        }
    }

    @Test func membershipAttackRefusesBadInput() throws {
        let f = try membershipFixture("attack-refusals")
        let overlapping = scratch("attack-overlap"), otherSpec = scratch("attack-other-spec")
        let otherSeed = scratch("attack-other-seed"), small = scratch("attack-small-world")
        let smallModel = scratch("attack-small.fgm")
        #expect(try fairground("generate", "credit-offers", "--users", "100", "--first-user", "250", "--out",
                               overlapping, "-q").status == 0)
        #expect(try fairground("generate", "job-ads", "--users", "100", "--first-user", "1000", "--out", otherSpec,
                               "-q").status == 0)
        #expect(try fairground("generate", "credit-offers", "--users", "100", "--first-user", "1000", "--seed", "99",
                               "--out", otherSeed, "-q").status == 0)
        #expect(try fairground("generate", "credit-offers", "--users", "120", "--out", small, "-q").status == 0)
        #expect(try fairground("train", small, "--out", smallModel, "--factors", "8", "--iterations", "2",
                               "--holdout", "0", "-q").status == 0)
        let cases: [([String], [String])] = [
            (["--non-members", overlapping], ["manifest.json", "first_user", "0..<300"]),
            (["--non-members", otherSpec], ["manifest.json", "spec_source", "same population"]),
            (["--non-members", otherSeed], ["manifest.json", "seed", "99"]),
            (["--non-members", f.members + "/interactions.mtx"], ["interactions.mtx", "fairground generate"]),
            (["--non-members", f.fresh, "--model", smallModel], ["300 users", "120 users"]),
            (["--non-members", f.fresh, "--delta", "0"], ["--delta", "(0, 1)"]),
            (["--non-members", f.fresh, "--list-length", "0"], ["--list-length"]),
            (["--non-members", f.fresh, "--variant", "shadow"], ["--variant", "shadow"]),
            (["--non-members", f.fresh, "--model", scratch("nowhere.fgm")], ["nowhere.fgm"]),
        ]
        for (arguments, words) in cases {
            let out = scratch("attack-refused")
            let model = arguments.contains("--model") ? [] : ["--model", f.model]
            let r = try fairground(["attack", "membership", f.members, "--out", out] + model + arguments)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: "), "\(arguments): \(r.status) \(r.stderr)")
            for word in words { #expect(r.stderr.contains(word), "\(arguments): \(r.stderr) lacks \(word)") }
            // The parser's own refusals (an unknown --variant) add its usage; every other refusal is one line.
            if !arguments.contains("--variant") { #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)") }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
