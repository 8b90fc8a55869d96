import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// Output directories are committed as one unit (issue 12, points 1, 2 and 7): `generate` and `audit` stopped by
/// SIGKILL before each of their output steps (a hook compiled into test builds, `FAIRGROUND_FAULT=N:KILL`) leave
/// the old output or — once their journal is replayed by the next reader — the new one, never a mix; SIGINT and
/// SIGTERM remove the run's temporary files; a second writer is refused while the first holds the lock.
extension CommandLineTests {
    /// The visible (not hidden) files of a directory and their bytes.
    func visibleFiles(_ directory: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.hasPrefix(".") {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return out
    }

    func hiddenFiles(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }.sorted()
    }

    func copy(_ source: String, to destination: String) throws {
        try? FileManager.default.removeItem(atPath: destination)
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }

    /// What a killed run left: `old`, `new`, `journal` (a commit in flight whose every file is the old or the new
    /// version) or `mixed`.
    func state(of directory: String, old: [String: Data], new: [String: Data]) throws -> String {
        let files = try visibleFiles(directory)
        if FileManager.default.fileExists(atPath: directory + "/.fairground-commit") {
            return files.allSatisfy { old[$0.key] == $0.value || new[$0.key] == $0.value } ? "journal" : "mixed"
        }
        return files == old ? "old" : files == new ? "new" : "mixed"
    }

    /// Kills `command` (which writes into `directory`, first filled from `old`) before each output step in turn
    /// until a run completes; after each kill, `reader` (which reads the directory) must see the old or the new
    /// output whole. Returns how many kills ended in each state.
    func killAtEveryStep(_ command: [String], into directory: String, old: String, new: String,
                         reader: [String]) throws -> [String: Int] {
        let oldFiles = try visibleFiles(old), newFiles = try visibleFiles(new)
        #expect(oldFiles != newFiles && !oldFiles.isEmpty)
        var outcomes: [String: Int] = [:]
        for step in 1...64 {
            try copy(old, to: directory)
            let run = try fairground(command, environment: ["FAIRGROUND_FAULT": "\(step):KILL"])
            if run.status == 0 && !run.signalled {
                #expect(step > 5, "the binary ignores FAIRGROUND_FAULT: build it with -DFAIRGROUND_FAULT_HOOKS (make test)")
                #expect(try visibleFiles(directory) == newFiles)
                break
            }
            #expect(run.signalled && run.status == SIGKILL, "step \(step): \(run.status) \(run.stderr)")
            let raw = try state(of: directory, old: oldFiles, new: newFiles)
            outcomes[raw, default: 0] += 1
            #expect(raw != "mixed", "step \(step) left a mixed directory")
            let read = try fairground(reader)
            #expect(read.status == 0 || read.status == 1, "step \(step): \(read.stderr)")
            let after = try visibleFiles(directory)
            #expect(after == (raw == "old" ? oldFiles : newFiles), "step \(step): the reader saw \(raw) and left a mix")
            // The next writer removes what the killed run left (its temporary files, its lock).
            let again = try fairground(command)
            #expect(again.status == 0, "\(again.stderr)")
            let left = try hiddenFiles(directory)
            #expect(left.isEmpty, "step \(step): \(left)")
        }
        return outcomes
    }

    @Test func generateKilledAtEveryOutputStepLeavesTheOldOrTheNewWorld() throws {
        let spec = "datasets/credit-offers.yaml"
        let old = scratch("kill-old"), new = scratch("kill-new"), dir = scratch("kill-dir")
        let args = ["generate", spec, "--users", "400", "-q", "--seed"]
        #expect(try fairground(args + ["1", "--out", old]).status == 0)
        #expect(try fairground(args + ["2", "--out", new]).status == 0)
        let outcomes = try killAtEveryStep(args + ["2", "--out", dir], into: dir, old: old, new: new,
                                           reader: ["train", dir, "--out", scratch("kill.fgm"), "--factors", "4",
                                                    "--iterations", "1", "-q"])
        // Six files staged, then the journal, the old record's removal, six renames, the journal's removal.
        #expect(outcomes.values.reduce(0, +) == 15 && outcomes["mixed"] == nil, "\(outcomes)")
        print("generate: \(outcomes.values.reduce(0, +)) kill points, \(outcomes)")
    }

    @Test func auditKilledAtEveryOutputStepLeavesTheOldOrTheNewReport() throws {
        let (world, model) = try auditFixture("kill-audit")
        let old = scratch("kill-audit-old"), new = scratch("kill-audit-new"), dir = scratch("kill-audit-dir")
        let args = ["audit", world, "--model", model, "--bootstrap", "20", "-q", "--audit-seed"]
        #expect([0, 1].contains(try fairground(args + ["1", "--out", old]).status))
        #expect([0, 1].contains(try fairground(args + ["2", "--out", new]).status))
        let rule = try write("version: 1\nrules:\n  - {name: no regression, metric: demographic_parity_difference, "
                             + "no_regression: true}\n", "kill-no-regression.yaml")
        // The reader: another audit comparing against the killed run's report.json as its baseline.
        let reader = args + ["2", "--out", scratch("kill-audit-reader"), "--policy", rule,
                             "--baseline", dir + "/report.json", "--baseline-mismatch", "warn"]
        let outcomes = try killAtEveryStep(args + ["2", "--out", dir], into: dir, old: old, new: new, reader: reader)
        // Five files staged, the journal, five renames, the journal's removal.
        #expect(outcomes.values.reduce(0, +) == 12 && outcomes["mixed"] == nil, "\(outcomes)")
        print("audit: \(outcomes.values.reduce(0, +)) kill points, \(outcomes)")
    }

    /// SIGINT or SIGTERM while files are staged: exit 128 + signal, no temporary file or lock left, the old world
    /// untouched. A signal during the commit's renames waits for them: the new world, whole.
    @Test func interruptedRunsRemoveTheirTemporaryFiles() throws {
        let old = scratch("int-old"), dir = scratch("int-dir")
        let args = ["generate", "datasets/credit-offers.yaml", "--users", "400", "-q", "--seed"]
        #expect(try fairground(args + ["1", "--out", old]).status == 0)
        let oldFiles = try visibleFiles(old)
        for (step, signal, name) in [(3, SIGINT, "INT"), (5, SIGTERM, "TERM")] {
            try copy(old, to: dir)
            let run = try fairground(args + ["2", "--out", dir], environment: ["FAIRGROUND_FAULT": "\(step):\(name)"])
            #expect(run.status == 128 + signal && !run.signalled, "\(run.status) \(run.stderr)")
            #expect(run.stderr.contains("interrupted (signal \(signal)); removed"), "\(run.stderr)")
            let left = try hiddenFiles(dir)
            #expect(left.isEmpty, "\(left)")
            #expect(try visibleFiles(dir) == oldFiles)
        }
        // Step 9 is a rename: the commit completes before the process exits.
        try copy(old, to: dir)
        let late = try fairground(args + ["2", "--out", dir], environment: ["FAIRGROUND_FAULT": "9:INT"])
        #expect(late.status == 128 + SIGINT, "\(late.stderr)")
        #expect(try hiddenFiles(dir).isEmpty)
        let new = scratch("int-new")
        #expect(try fairground(args + ["2", "--out", new]).status == 0)
        #expect(try visibleFiles(dir) == visibleFiles(new))
    }

    /// Two writers into one `--out`: the second is refused (exit 2, naming the directory and the first run's
    /// process) and writes nothing, rather than interleaving its files with the first's.
    @Test func concurrentWritersAreRefused() throws {
        let dir = scratch("locked")
        let args = ["generate", "datasets/credit-offers.yaml", "--users", "300", "-q", "--out", dir]
        #expect(try fairground(args).status == 0)
        let before = try visibleFiles(dir)
        let fd = open(dir + "/.fairground.lock", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        _ = "4242\n".withCString { Glibc.write(fd, $0, 5) }
        let second = try fairground(args + ["--seed", "9"])
        close(fd)
        #expect(second.status == 2 && second.stderr.contains(dir)
                && second.stderr.contains("another fairground run (process 4242) is writing into this directory"),
                "\(second.stderr)")
        #expect(try visibleFiles(dir) == before)
    }
}

extension CommandLineTests {
    /// Reproduces the issue: `evaluate` and `recommend` accepted a model over 3,000 items on 2,000-item data and
    /// recommended an item the data does not have. Data that declares another shape than the model's is refused;
    /// CSV triplets, whose extent is only their largest ids, may be smaller.
    @Test func dataOfAnotherShapeIsRefusedByEvaluateAndRecommend() throws {
        func mtx(_ rows: Int, _ columns: Int) -> String {
            var text = "%%MatrixMarket matrix coordinate real general\n\(rows) \(columns) \(rows * 2)\n"
            for r in 1...rows { text += "\(r) \(r % columns + 1) 1\n\(r) \((r + 1) % columns + 1) 2\n" }
            return text
        }
        let wide = try write(mtx(30, 50), "pair-wide.mtx"), narrow = try write(mtx(30, 40), "pair-narrow.mtx")
        let model = scratch("pair.fgm")
        #expect(try fairground("train", wide, "--out", model, "--factors", "4", "--iterations", "2", "-q").status == 0)
        let evaluated = try fairground("evaluate", model, "--train", narrow, "--test", narrow)
        #expect(evaluated.status == 2 && evaluated.stderr.contains(narrow)
                && evaluated.stderr.contains("30 users × 50 items, the shape \(model) was trained on")
                && evaluated.stderr.contains("30 users × 40 items"), "\(evaluated.stderr)")
        let recommended = try fairground("recommend", model, "--user", "3", "--data", narrow)
        #expect(recommended.status == 2 && recommended.stderr.contains("the shape \(model) was trained on"),
                "\(recommended.stderr)")
        let csv = try write("user,item,weight\n0,1,1\n1,2,1\n2,3,1\n", "pair-small.csv")
        #expect(try fairground("recommend", model, "--user", "1", "--data", csv).status == 0)
        #expect(try fairground("evaluate", model, "--train", wide, "--test", wide).status == 0)
    }
}

extension CommandLineTests {
    /// The mutation fuzzer through the binary (issue 12, point 6: "never a crash, a hang or partial output"):
    /// mutated specs given to `generate` exit 0 with a whole world or 2 with a message and no output directory,
    /// never by a signal, and leave no temporary file. Fixed seed and budget.
    @Test func mutatedSpecsThroughTheBinaryLeaveAWholeWorldOrNothing() throws {
        let seed = Array(try read(Self.root + "/datasets/credit-offers.yaml").utf8)
        var rng = TestLCG(seed: 61)
        var outcomes: [Int32: Int] = [:]
        let spec = scratch("cli-fuzz.yaml"), out = scratch("cli-fuzz-out")
        for trial in 0..<120 {
            let bytes = trial % 2 == 0 ? Mutator().mutate(seed, &rng) : Mutator().replaceNumbers(seed, &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: spec))
            try? FileManager.default.removeItem(atPath: out)
            let run = try fairground("generate", spec, "--users", "50", "--out", out, "-q")
            #expect(!run.signalled && (run.status == 0 || run.status == 2), "\(run.status) \(run.stderr)")
            outcomes[run.status, default: 0] += 1
            if run.status == 0 {
                #expect(try hiddenFiles(out).isEmpty && (try visibleFiles(out)).keys.contains("manifest.json"))
            } else {
                #expect(run.stderr.contains(spec) && !FileManager.default.fileExists(atPath: out), "\(run.stderr)")
            }
        }
        print("generate fuzz: 120 mutated specs, \(outcomes[0] ?? 0) whole worlds, \(outcomes[2] ?? 0) refusals, "
              + "0 crashes, 0 partial outputs")
        #expect((outcomes[0] ?? 0) > 5 && (outcomes[2] ?? 0) > 30, "\(outcomes)")
    }
}

extension CommandLineTests {
    /// Training and serving honour consent (issue 13, points 5, 7 and 8): opted-out users of a generated directory
    /// are left out and counted, and served the same non-personalised list, `--consent ignore` trains on everyone, `--exclude-users` and `--minimise sensitive` leave out
    /// what they name, and each is recorded in the model file; a minimisation that matches nothing is refused.
    @Test func trainingHonoursConsentAndMinimisation() throws {
        let spec = try write("""
            version: 1
            name: consent
            attributes:
              gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
              consent: {type: boolean, p: 0.7, role: consent}
            items:
              count: 80
              categories:
                groceries: {share: 0.7}
                pharmacy: {share: 0.3, sensitive: true}
            behavior:
              latent_dims: 2
              interactions_per_user: {distribution: lognormal, mu: 2, sigma: 0.5}
            """, "consent.yaml")
        let world = scratch("consent-world"), model = scratch("consent.fgm")
        #expect(try fairground("generate", spec, "--users", "300", "--out", world, "-q").status == 0)
        let optedOut = try read(world + "/population.csv").split(separator: "\n").filter { $0.hasSuffix(",false") }.count
        #expect(optedOut > 50 && optedOut < 150)
        let args = ["train", world, "--out", model, "--factors", "4", "--iterations", "2", "--holdout", "0"]
        let honoured = try fairground(args)
        #expect(honoured.status == 0 && honoured.stdout.contains("left out of training: \(optedOut) opted-out users "
                                                                  + "(\(300 - optedOut) users trained on"), "\(honoured.stdout)")
        let header = try String(decoding: Data(contentsOf: URL(fileURLWithPath: model)), as: UTF8.self)
        #expect(header.contains("\"consent\":\"honour\"") && header.contains("\"optedOutUsers\":\(optedOut)"),
                "\(header.prefix(600))")
        // Serving (point 7): every opted-out user gets the same non-personalised list, and is told so.
        let rows = try read(world + "/population.csv").split(separator: "\n").dropFirst()
        let out = rows.enumerated().filter { $0.element.hasSuffix(",false") }.map(\.offset)
        let consenting = rows.enumerated().first { $0.element.hasSuffix(",true") }!.offset
        let first = try fairground("recommend", model, "--user", "\(out[0])", "--data", world)
        let second = try fairground("recommend", model, "--user", "\(out[1])", "--data", world)
        #expect(first.status == 0 && first.stdout.contains("user \(out[0]) opted out of personalised marketing"), "\(first.stdout)")
        #expect(first.stdout.split(separator: "\n").dropFirst() == second.stdout.split(separator: "\n").dropFirst())
        let json = try fairground("recommend", model, "--user", "\(out[0])", "--data", world, "--json")
        #expect(json.stdout.contains("\"personalised\": false"))
        let own = try fairground("recommend", model, "--user", "\(consenting)", "--data", world)
        #expect(own.status == 0 && own.stdout.hasPrefix("user \(consenting):"), "\(own.stdout)")
        let ignored = try fairground(args + ["--consent", "ignore"])
        #expect(ignored.status == 0 && !ignored.stdout.contains("left out"), "\(ignored.stdout)")
        let list = try write("0\n1 # asked to be forgotten\n\n999999\n", "excluded-users.txt")
        let listed = try fairground(args + ["--consent", "ignore", "--exclude-users", list, "--minimise", "sensitive"])
        #expect(listed.status == 0 && listed.stdout.contains("2 listed users") && listed.stdout.contains("interactions with pharmacy")
                && listed.stderr.contains("1 of the ids in \(list) are not users of"), "\(listed.stdout) \(listed.stderr)")
        let bad = try write("0\nseven\n", "bad-users.txt")
        let refused = try fairground(args + ["--exclude-users", bad])
        #expect(refused.status == 2 && refused.stderr.contains("\(bad):2:") && refused.stderr.contains("seven"), "\(refused.stderr)")
        let unknown = try fairground(args + ["--exclude-categories", "bakery"])
        #expect(unknown.status == 2 && unknown.stderr.contains("--exclude-categories")
                && unknown.stderr.contains("groceries, pharmacy"), "\(unknown.stderr)")
        // A twin world trains too (its directory is read for training data, not made into twins).
        let twins = scratch("consent-twins")
        #expect(try fairground("counterfactual", world, "--set", "gender=male", "--out", twins, "-q").status == 0)
        let twinTrained = try fairground(["train", twins, "--out", scratch("twins.fgm"), "--factors", "4", "--holdout", "0", "-q"])
        #expect(twinTrained.status == 0, "\(twinTrained.stderr)")
        let plain = scratch("consent-plain")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--users", "200", "--out", plain, "-q").status == 0)
        let nothing = try fairground(["train", plain, "--out", model, "--minimise", "sensitive", "--holdout", "0"])
        #expect(nothing.status == 2 && nothing.stderr.contains("--minimise") && nothing.stderr.contains("sensitive: true"),
                "\(nothing.stderr)")
    }
}

extension CommandLineTests {
    /// The pregnancy case (issue 13, points 11, 12 and 16): a model's user factors reveal the sensitive
    /// `expecting` trait nobody told it; `probe` finds it from a model file and, identically, from the same factors
    /// exported as `.npy` (any model's embeddings); minimisation lowers it; a factor file of another shape, or
    /// holding NaN, is refused.
    @Test func probesFindWhatTheFactorsReveal() throws {
        let world = scratch("probe-world"), model = scratch("probe.fgm"), npy = scratch("probe-npy")
        #expect(try fairground("generate", "datasets/pregnancy-prediction.yaml", "--users", "6000", "--out", world, "-q").status == 0)
        #expect(try fairground("train", world, "--out", model, "--holdout", "0", "-q").status == 0)
        let fromModel = scratch("probe-model"), fromFile = scratch("probe-file")
        let probed = try fairground("probe", world, "--model", model, "--attributes", "expecting", "--out", fromModel)
        #expect(probed.status == 0 && probed.stdout.contains("expecting = true from user_factors"), "\(probed.stdout)")
        let report = try read(fromModel + "/probe.md")
        #expect(report.hasPrefix("# What the user factors and the data reveal\n\n2 of 2 probes find a trait **materially predictable**")
                && report.contains("\n- **expecting = true can be predicted from the user factors**: AUC "), "\(report.prefix(300))")
        #expect(try read(fromModel + "/probe.html").contains("<section class=\"answer\">"))
        #expect(try fairground("export", model, "--npy", npy).status == 0)
        #expect(try fairground("probe", world, "--factors", npy + "/user_factors.npy", "--attributes", "expecting",
                               "--out", fromFile, "-q").status == 0)
        struct Document: Decodable {
            struct Finding: Decodable, Equatable {
                struct Estimate: Decodable, Equatable { var value: Double? }
                var id: String; var metric: String; var source: String; var trait: String; var verdict: String
                var estimate: Estimate
            }
            var findings: [Finding]
        }
        let findings = { (dir: String) throws -> [Document.Finding] in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/probe.json"))
            return try JSONDecoder().decode(Document.self, from: bytes).findings
        }
        #expect(try findings(fromModel) == findings(fromFile))
        #expect(try findings(fromModel).map(\.verdict) == ["material", "material"])
        let auc = { (dir: String) throws -> Double in
            try #require(try findings(dir).first { $0.id == "privacy/expecting/inference_auc/true/user_factors" }?.estimate.value)
        }
        // The materiality threshold of the run: the same AUC is small against 0.9; one below chance is refused.
        let strict = try fairground("probe", world, "--model", model, "--attributes", "expecting", "--material", "0.9",
                                    "--out", scratch("probe-strict"))
        #expect(strict.status == 0 && strict.stdout.contains("slightly predictable (small): expecting = true from user_factors"),
                "\(strict.stdout)")
        let below = try fairground("probe", world, "--model", model, "--material", "0.4", "--out", scratch("probe-never"))
        #expect(below.status == 2 && below.stderr.contains("--material"), "\(below.stderr)")
        let minimised = scratch("probe-min.fgm"), fromMinimised = scratch("probe-min")
        #expect(try fairground("train", world, "--out", minimised, "--holdout", "0", "-q", "--minimise", "sensitive").status == 0)
        #expect(try fairground("probe", world, "--model", minimised, "--attributes", "expecting", "--out", fromMinimised,
                               "-q").status == 0)
        let before = try auc(fromModel), after = try auc(fromMinimised)
        #expect(after < before - 0.05, "\(after) vs \(before)")
        // Factors of another world's users: refused, nothing written.
        let other = scratch("probe-other"), otherModel = scratch("probe-other.fgm"), otherNpy = scratch("probe-other-npy")
        #expect(try fairground("generate", "datasets/pregnancy-prediction.yaml", "--users", "500", "--out", other, "-q").status == 0)
        #expect(try fairground("train", other, "--out", otherModel, "--holdout", "0", "-q").status == 0)
        #expect(try fairground("export", otherModel, "--npy", otherNpy).status == 0)
        let never = scratch("probe-never")
        let wrong = try fairground("probe", world, "--factors", otherNpy + "/user_factors.npy", "--out", never)
        #expect(wrong.status == 2 && wrong.stderr.contains("--factors") && wrong.stderr.contains("6000"), "\(wrong.stderr)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: otherNpy + "/user_factors.npy"))
        bytes.replaceSubrange((bytes.count - 4)..<bytes.count, with: [0, 0, 0xC0, 0x7F])  // the last value: NaN
        let nan = scratch("nan.npy")
        try bytes.write(to: URL(fileURLWithPath: nan))
        let refused = try fairground("probe", other, "--factors", nan, "--out", never)
        #expect(refused.status == 2 && refused.stderr.contains(nan) && refused.stderr.contains("finite"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: never))
    }

    /// The privacy view through the CLI (issue 13, points 13 and 14): policy rules on `inference_auc` of a
    /// sensitive attribute and on `opt_out_bias` gate the audit, with JUnit cases; the report opens with the
    /// privacy answers and charts the probes.
    @Test func privacyRulesGateTheAudit() throws {
        let world = scratch("privacy-world"), model = scratch("privacy.fgm")
        #expect(try fairground("generate", "datasets/pregnancy-prediction.yaml", "--users", "8000", "--out", world, "-q").status == 0)
        #expect(try fairground("train", world, "--out", model, "--holdout", "0", "-q").status == 0)
        var policy = try write("""
            version: 1
            rules:
              - {name: factors do not reveal pregnancy, metric: inference_auc, attributes: [expecting], at_most: 0.6}
              - {name: consenting-only audit is unbiased, metric: opt_out_bias, at_least: -0.05, at_most: 0.05}
            """, "privacy.yaml")
        let out = scratch("privacy-report")
        let gated = try fairground("audit", world, "--model", model, "--policy", policy, "--out", out, "-q")
        #expect(gated.status == 1, "\(gated.stderr)")
        let junit = try read(out + "/junit.xml")
        #expect(junit.contains("factors do not reveal pregnancy") && junit.contains("<failure message=\"violated with evidence\">"))
        #expect(junit.contains("consenting-only audit is unbiased"))
        let markdown = try read(out + "/report.md")
        #expect(markdown.contains("### Privacy\n\n- **Consent**: "), "\(markdown.prefix(2000))")
        #expect(markdown.contains("**expecting = true can be predicted**"))
        #expect(markdown.contains("## Consent and NDCG@10 by group"))
        let html = try read(out + "/report.html")
        #expect(html.contains("What the user factors and the raw interactions reveal"))
        #expect(html.contains("NDCG@10 by group and consent status"))
        let json = try read(out + "/report.json")
        #expect(json.contains("\"source\" : \"user_factors\"") && json.contains("\"opted_out_serving\" : \"non-personalised\""))
        // Opted-out users are marked not eligible for personalised targeting, one row each.
        let decisions = try read(out + "/decisions.csv").split(separator: "\n")
        let header = decisions[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "eligible_for_personalisation"))
        let ineligible = decisions.dropFirst().filter { $0.split(separator: ",")[column] == "0" }.count
        let consent = try read(world + "/population.csv").split(separator: "\n")
        let consentColumn = try #require(consent[0].split(separator: ",").firstIndex(of: "consent"))
        #expect(ineligible == consent.dropFirst().filter { $0.split(separator: ",")[consentColumn] == "false" }.count)
        #expect(ineligible > 0)
        // A rule about an attribute the audit has no findings of is refused, naming it.
        policy = try write("version: 1\nrules:\n  - {name: r, metric: inference_auc, attributes: [shoe_size], at_most: 0.6}\n",
                           "privacy-bad.yaml")
        let refused = try fairground("audit", world, "--model", model, "--policy", policy, "--out", scratch("never"), "-q")
        #expect(refused.status == 2 && refused.stderr.contains("shoe_size"), "\(refused.stderr)")
        // --privacy off: no privacy findings, and a privacy rule says the audit has none.
        let offDirectory = scratch("privacy-off")
        let off = try fairground("audit", world, "--model", model, "--privacy", "off", "--out", offDirectory, "-q")
        #expect(off.status == 0, "\(off.stderr)")
        let offReport = try read(offDirectory + "/report.json")
        #expect(!offReport.contains("inference_auc"))
    }

    /// Notebook 03 runs, and the figures it quotes are the run's: exactly where they come from generation alone
    /// (Philox and Swift arithmetic: the same bytes on every machine), within a stated tolerance where they come
    /// from a trained model (OpenBLAS picks its kernels by CPU, so the last digits differ between machines).
    @Test func consentAndPrivacyNotebookRuns() throws {
        let work = try runNotebook("03-consent-and-privacy.md", expectedBlocks: 4)
        // The notebook's prose wraps lines: compare with its text on one line.
        let notebook = try read(Self.root + "/notebooks-md/03-consent-and-privacy.md")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let probe = try read(work + "/out/privacy/probe/probe.md")
        let minimised = try read(work + "/out/privacy/probe-minimised/probe.md")
        let privacy = try read(work + "/out/privacy/report/report.md")
        let skew = try read(work + "/out/privacy/skew-report/report.md")
        // Generation only: exact.
        for quoted in ["5102 of 20000 users (25.5%) opted out", "33.3% of 35_and_over against 17.7%"] {
            #expect(privacy.contains(quoted) && notebook.contains(quoted), "\(quoted)")
        }
        #expect(skew.contains("47.4% of group_b against 22.7% of group_a"))
        #expect(skew.contains("The policy is violated with evidence: consenting-only audit is unbiased."))
        // From a trained model: within tolerances far below the effects the notebook discusses.
        let quoted: [(run: String, template: String, tolerance: Double)] = [
            (privacy, "baby items {}% of the time, others {}%", 0.5),
            (skew, "{} on consenting users but {} on everyone — a bias of {}", 0.002),
        ]
        for (run, template, tolerance) in quoted {
            let difference = QuotedFigures.compare(run, notebook, template: template, tolerance: tolerance)
            #expect(difference == nil, "\(difference ?? "")")
        }
        for (run, auc) in [(probe, 0.8705), (minimised, 0.6507)] {
            let value = QuotedFigures.numbers(in: run, template: "AUC {}")?.first
            #expect(notebook.contains("AUC \(auc)") && value.map { abs($0 - auc) <= 0.01 } == true, "\(value ?? .nan) vs \(auc)")
        }
    }
}
