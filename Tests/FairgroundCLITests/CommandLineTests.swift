import Foundation
import TestSupport
import Testing

/// The binary the CLI suite runs: `FAIRGROUND_BIN` (set by `make test`), else the debug build — and why it cannot be
/// trusted to be the current sources' (missing; or, for the debug build, older than a source file), if it cannot.
enum CLIBinary {
    static let path = ProcessInfo.processInfo.environment["FAIRGROUND_BIN"] ?? repositoryRoot + "/.build/debug/fairground"

    static let staleness: String? = {
        let files = FileManager.default
        guard let built = (try? files.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
            return "no fairground binary at \(path): run 'make test', or 'swift build' before 'swift test'"
        }
        // A binary named by FAIRGROUND_BIN was built for this run (`make test` builds it first; the build may
        // leave an unchanged binary's date alone).
        guard ProcessInfo.processInfo.environment["FAIRGROUND_BIN"] == nil else { return nil }
        let sources = files.enumerator(atPath: repositoryRoot + "/Sources")
        while let file = sources?.nextObject() as? String {
            guard file.hasSuffix(".swift") || file.hasSuffix(".h") || file.hasSuffix(".c") else { continue }
            if let changed = (try? files.attributesOfItem(atPath: repositoryRoot + "/Sources/" + file))?[.modificationDate] as? Date,
               changed > built {
                return "\(path) is older than Sources/\(file): rebuild it ('make test', or 'swift build') first"
            }
        }
        return nil
    }()
}

/// End-to-end tests of the `fairground` executable: exit codes, outputs and error messages. They run a binary
/// built from the current sources (``CLIBinary``) and are skipped, with the reason, when there is none (a plain
/// `swift test` does not build the executable).
@Suite(.serialized, .enabled(if: CLIBinary.staleness == nil, "\(CLIBinary.staleness ?? "")"))
struct CommandLineTests {
    static let root = repositoryRoot

    /// The binary.
    static let binary = CLIBinary.path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Whether a signal ended the process (`status` is then its number).
        var signalled = false
    }

    @discardableResult
    func fairground(_ arguments: String...) throws -> Result { try fairground(arguments) }

    /// Runs the binary with `CI` set and `environment` added to this process's environment, in `directory` (by
    /// default the repository's root).
    func fairground(_ arguments: [String], environment extra: [String: String] = [:], in directory: String? = nil)
        throws -> Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? Self.root)
        var environment = ProcessInfo.processInfo.environment
        environment["CI"] = "true"
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self),
                      signalled: process.terminationReason == .uncaughtSignal)
    }

    func scratch(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "fairground-cli-\(ProcessInfo.processInfo.processIdentifier)-\(name)"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func write(_ text: String, _ name: String) throws -> String {
        let path = scratch(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A ratings world (±1) trains the same from its directory as inside `run`: one validation, one meaning of
    /// a negative rating (seen and rejected), whichever path the interactions take.
    @Test func ratingsWorldTrainsTheSameFromFileAndFromMemory() throws {
        let out = scratch("ratings")
        let generated = try fairground("generate", "datasets/yao-huang-uniform.yaml", "--out", out + "/world", "-q")
        #expect(generated.status == 0, "\(generated.stderr)")
        let trained = try fairground("train", out + "/world", "--out", out + "/train.fgm", "--seed", "2017", "-q")
        #expect(trained.status == 0, "\(trained.stderr)")
        let run = try fairground("run", "datasets/yao-huang-uniform.yaml", "--out", out + "/run", "-q", "--bootstrap", "20")
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: out + "/train.fgm"))
        let b = try Data(contentsOf: URL(fileURLWithPath: out + "/run/model.fgm"))
        #expect(a == b)
    }

    @Test func generateThenCounterfactual() throws {
        let out = scratch("gen")
        let result = try fairground("generate", "datasets/credit-offers.yaml", "--out", out, "--users", "3000")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("credit-offers: 3000 users, 2000 items"))
        #expect(result.stdout.contains("gender ~ income"))
        let twin = scratch("twin")
        let cf = try fairground("counterfactual", out, "--set", "gender=male", "--keep", "income", "--out", twin)
        #expect(cf.status == 0, "\(cf.stderr)")
        #expect(cf.stdout.hasPrefix("do(gender=male) keep(income)"))
        let rows = try read(twin + "/population.csv").split(separator: "\n").dropFirst()
        #expect(rows.count == 3000 && rows.allSatisfy { $0.split(separator: ",")[1] == "male" })
        let manifest = try read(twin + "/manifest.json")
        #expect(manifest.contains("\"gender=male\"") && manifest.contains("\"income\""))
        // A twin of a twin is refused.
        let again = try fairground("counterfactual", twin, "--set", "gender=female", "--out", scratch("twin2"))
        #expect(again.status == 2 && again.stderr.contains("intervention"))
    }

    @Test func filesAreIdenticalOnAnyThreadCountAndShardsMatch() throws {
        let a = scratch("t1"), b = scratch("t2"), shard = scratch("shard")
        #expect(try fairground("generate", "datasets/job-ads.yaml", "--out", a, "--users", "5000", "--threads", "1", "-q").status == 0)
        #expect(try fairground("generate", "datasets/job-ads.yaml", "--out", b, "--users", "5000", "--threads", "2", "-q").status == 0)
        for name in ["population.csv", "items.csv", "interactions.csv", "interactions.mtx", "truth.csv", "manifest.json"] {
            #expect(try read(a + "/" + name) == read(b + "/" + name), "\(name)")
        }
        #expect(try fairground("generate", "datasets/job-ads.yaml", "--out", shard, "--first-user", "1200",
                               "--users", "800", "-q").status == 0)
        let full = try read(a + "/population.csv").split(separator: "\n")
        let part = try read(shard + "/population.csv").split(separator: "\n")
        #expect(Array(full[1201...2000]) == Array(part[1...]))
        let fullTruth = try read(a + "/truth.csv").split(separator: "\n")
        let partTruth = try read(shard + "/truth.csv").split(separator: "\n")
        #expect(Array(fullTruth[1201...2000]) == Array(partTruth[1...]))
    }

    @Test func badSpecExitsTwoNamingFileAndFieldAndWritesNothing() throws {
        let spec = try write("""
            version: 1
            attributes:
              a: {type: numeric, distribution: normal, mean: 0, sd: 1}
              b: {type: numeric, distribution: normal, mean: 0, sd: 1}
              c: {type: numeric, distribution: normal, mean: 0, sd: 1}
            correlations:
              - [a, b, 0.9]
              - [b, c, 0.9]
              - [a, c, -0.9]
            """, "nonpsd.yaml")
        let out = scratch("nonpsd-out")
        let refused = try fairground("generate", spec, "--out", out)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(spec) && refused.stderr.contains("correlations")
                && refused.stderr.contains("a, b, c"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let repaired = try fairground("generate", spec, "--out", out, "--repair-correlations", "-q")
        #expect(repaired.status == 0)
        #expect(repaired.stderr.contains("repaired correlation a ~ b: 0.9 →"))
        #expect(try read(out + "/manifest.json").contains("\"repairs\""))

        let typo = try write("version: 1\nattributes:\n  a: {type: boolean, p: 2}\n", "typo.yaml")
        let bad = try fairground("generate", typo, "--out", scratch("typo-out"))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(typo):3:") && bad.stderr.contains("attributes.a.p")
                && bad.stderr.contains("a probability in [0, 1]"), "\(bad.stderr)")
    }

    @Test func outOfRangeGenreKeysExitTwoNamingFileLineAndField() throws {
        let spec = try write("""
            version: 1
            attributes:
              a: {type: boolean, p: 0.5}
            items: {count: 20, categories: {x: {share: 1}}}
            behavior:
              genres: 4
              genre_taste_sd: 9
            """, "genre-sd.yaml")
        let out = scratch("genre-out")
        let bad = try fairground("generate", spec, "--out", out)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(spec):7:") && bad.stderr.contains("behavior.genre_taste_sd")
                && bad.stderr.contains("a number in [0, 5]"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// `tune` searches and writes a configuration `train` takes; `train` prints how the model compares with
    /// popularity and warns when it does not beat it; a malformed configuration exits 2 naming file and field.
    @Test func tuneWritesAConfigurationTrainTakesAndTrainWarnsAboutWeakModels() throws {
        let world = scratch("tune-world")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--out", world, "--users", "2000", "-q").status == 0)
        var start = try write(#"{"format": "fairground-als-config", "factors": 8, "iterations": 4}"#, "start.json")
        let best = scratch("best.json")
        let tuned = try fairground("tune", world, "--budget", "3", "--seed", "4", "--config", start, "--out", best)
        #expect(tuned.status == 0, "\(tuned.stderr)")
        #expect(tuned.stdout.hasPrefix("trial factors"), "\(tuned.stdout)")
        #expect(tuned.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.count == 3)
        #expect(tuned.stdout.contains("best: trial ") && tuned.stdout.contains("wrote \(best)"))
        let again = try fairground("tune", world, "--budget", "3", "--seed", "4", "--config", start, "--out", best + "2",
                                   "--threads", "1", "-q")
        #expect(again.status == 0 && again.stdout.isEmpty)
        #expect(try read(best) == (try read(best + "2")), "tune is not reproducible across thread counts")

        let model = scratch("tuned.fgm")
        let trained = try fairground("train", world, "--out", model, "--config", best)
        #expect(trained.status == 0, "\(trained.stderr)")
        let factors = try #require(try read(best).split(separator: "\n").first { $0.contains("\"factors\"") })
        #expect(trained.stdout.contains("\(factors.filter(\.isNumber)) factors"), "\(trained.stdout)")
        #expect(trained.stdout.contains("holdout: the model beats the popularity baseline"), "\(trained.stdout)")

        let weak = try fairground("train", world, "--out", scratch("weak.fgm"), "--iterations", "0")
        #expect(weak.status == 0)
        #expect(weak.stderr.contains("warning: the model does not beat recommending the most popular items"), "\(weak.stderr)")

        start = try write(#"{"format": "fairground-als-config", "factors": "eight"}"#, "bad.json")
        let bad = try fairground("train", world, "--out", scratch("never.fgm"), "--config", start)
        #expect(bad.status == 2 && bad.stderr.contains("\(start)") && bad.stderr.contains("factors"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch("never.fgm")))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try fairground("generate", "datasets/null.yaml", "--out", scratch("x"), "--users=0").status == 2)
        #expect(try fairground("generate", "datasets/null.yaml").status == 2)
        #expect(try fairground("generate", "datasets/null.yaml", "--out", scratch("x"), "--threads", "0").status == 2)
        let unknown = try fairground("counterfactual", scratch("missing"), "--set", "gender=male", "--out", scratch("y"))
        #expect(unknown.status == 2 && unknown.stderr.contains("manifest.json"))
        #expect(try fairground("--version").status == 0)
        let huge = try fairground("generate", "datasets/credit-offers.yaml", "--out", scratch("huge"), "--users", "2000000000")
        #expect(huge.status == 2 && huge.stderr.contains("users: expected a size that fits in memory"), "\(huge.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch("huge")))
    }

    /// The `sh` blocks of a walk-through, in order.
    func shellBlocks(_ name: String) throws -> [String] {
        let notebook = try read(Self.root + "/notebooks-md/" + name)
        var blocks: [String] = []
        var current: [Substring]? = nil
        for line in notebook.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```sh" { current = [] } else if line == "```", let lines = current {
                blocks.append(lines.joined(separator: "\n"))
                current = nil
            } else if current != nil { current!.append(line) }
        }
        return blocks
    }

    /// Runs every `sh` block of a walk-through in a scratch directory (with `datasets/` linked), so the notebook
    /// cannot rot; returns the directory.
    func runNotebook(_ name: String, expectedBlocks: Int) throws -> String {
        let blocks = try shellBlocks(name)
        #expect(blocks.count == expectedBlocks)
        let work = scratch("notebook-" + name)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work + "/datasets", withDestinationPath: Self.root + "/datasets")
        try FileManager.default.createSymbolicLink(atPath: work + "/notebooks-md", withDestinationPath: Self.root + "/notebooks-md")
        for block in blocks {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-ec", "fairground() { \"\(Self.binary)\" \"$@\"; }\n" + block]
            process.currentDirectoryURL = URL(fileURLWithPath: work)
            process.standardOutput = FileHandle.nullDevice
            var environment = ProcessInfo.processInfo.environment
            environment["CI"] = "true"
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "notebook block failed:\n\(block)")
        }
        return work
    }

    @Test func generationNotebookRuns() throws {
        let work = try runNotebook("00-generate-a-population.md", expectedBlocks: 3)
        let full = try read(work + "/out/generate/a/population.csv").split(separator: "\n")
        let shard = try read(work + "/out/generate/shard/population.csv").split(separator: "\n")
        #expect(Array(full[5001...6000]) == Array(shard[1...]))
    }

    @Test func firstAuditNotebookRuns() throws {
        let work = try runNotebook("01-first-audit.md", expectedBlocks: 5)
        let notebook = try read(Self.root + "/notebooks-md/01-first-audit.md")
        let report = try read(work + "/out/first-audit/report/report.md")
        // What does not depend on the CPU (the model's last bits do, through fused multiply-adds): the audit's
        // structure, the count the answer gives equals the rows marked material, and the rows the walk-through
        // discusses exist with an estimate inside its interval. The quoted figures themselves are this machine
        // kind's (`Benchmarks/` and the notebook say so).
        #expect(notebook.contains(" inconclusive among 127 findings"))
        #expect(report.contains(" inconclusive among 127 findings)."))
        let headline = report.split(separator: "\n").first { $0.hasPrefix("**") && $0.contains(" material finding") }
        let quoted = headline.flatMap { Int($0.dropFirst(2).prefix { $0.isNumber }) }
        let marked = report.split(separator: "\n").filter { $0.hasSuffix("| material |") }.count
        #expect(quoted != nil && quoted == marked, "\(headline ?? "no headline") vs \(marked) rows")
        for prefix in ["| premium_credit | ethnicity |  | demographic_parity_ratio | fairlearn | ",
                       "| premium_credit | ethnicity | do(ethnicity=group_a) | counterfactual_flip_rate | fairground | "] {
            let row = report.split(separator: "\n").first { $0.hasPrefix(prefix) }
            let cells = row.map { $0.dropFirst(prefix.count).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
            let value = cells.flatMap { Double($0[0]) }
            let bounds = cells.map { $0[1].trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",")
                .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
            #expect(value != nil && bounds?.count == 2 && bounds![0] <= value! && value! <= bounds![1], "\(row ?? "missing: " + prefix)")
        }
        #expect(try read(work + "/out/first-audit/gated/junit.xml").contains("<failure message=\"violated with evidence\">"))
        #expect(FileManager.default.fileExists(atPath: work + "/out/first-audit/candidate/report.json"))
    }

    /// Whether `python3` can import pandas and scikit-learn (the bring-your-own-model notebook needs them).
    static let pythonHasScikitLearn: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import pandas, sklearn"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(.enabled(if: pythonHasScikitLearn, "python3 with pandas and scikit-learn is not installed"))
    func bringYourOwnModelNotebookRuns() throws {
        let work = try runNotebook("02-bring-your-own-model.md", expectedBlocks: 3)
        let report = try read(work + "/out/byom/report/report.md")
        // scikit-learn's model goes through BLAS: its figures are checked within a tolerance, not to the last digit.
        let quoted: [(row: String, value: Double, tolerance: Double)] = [
            ("| premium_credit | ethnicity |  | disparate_impact_ratio | aif360 | ", 0.7369, 0.01),
            ("| premium_credit | ethnicity | do(ethnicity=group_a) | counterfactual_flip_rate | fairground | ", 0.0245, 0.005),
        ]
        for (prefix, expected, tolerance) in quoted {
            let row = report.split(separator: "\n").first { $0.hasPrefix(prefix) }
            let value = row.flatMap { Double($0.dropFirst(prefix.count).prefix { $0 != " " && $0 != "|" }) }
            #expect(value.map { abs($0 - expected) <= tolerance } == true, "\(row ?? "missing: " + prefix)")
        }
        #expect(report.contains("| premium_credit | ethnicity | naive(ethnicity=group_a) | counterfactual_flip_rate | fairground | 0 |"))
        // The attribution is signed and agrees with a direct count (the case the issue reported on this model):
        // true interest favours men, the model women — and the report says the model reverses the gap.
        for attribute in ["gender", "ethnicity"] {
            try checkSignedAttribution(world: work + "/out/byom/credit", report: work + "/out/byom/report",
                                       offer: "premium_credit", attribute: attribute)
        }
        let gender = try checkSignedAttribution(world: work + "/out/byom/credit", report: work + "/out/byom/report",
                                                offer: "premium_credit", attribute: "gender")
        if gender.model * gender.truth < 0 {
            #expect(report.contains("**the model reverses the gap**") || report.contains("the data reverse the gap"))
        }
    }

    @Test func splitTrainEvaluateRecommendExport() throws {
        let world = scratch("rec-world"), split = scratch("rec-split")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--out", world, "--users", "3000", "-q").status == 0)
        let s = try fairground("split", world, "--holdout", "0.2", "--out", split)
        #expect(s.status == 0 && s.stdout.contains("train.mtx"), "\(s.stderr)")
        let quiet = try fairground("split", world, "--holdout", "0.2", "--out", scratch("rec-split-quiet"), "-q")
        #expect(quiet.status == 0 && quiet.stdout.isEmpty, "\(quiet.stdout)")
        let model = split + "/model.fgm"
        for (solver, threads) in [("cg", "1"), ("cholesky", "2")] {
            let t = try fairground("train", split + "/train.mtx", "--out", model, "--factors", "16", "--iterations", "4",
                                   "--solver", solver, "--threads", threads, "--json")
            #expect(t.status == 0, "\(t.stderr)")
            #expect(t.stdout.contains("\"seconds_per_iteration\"") && t.stdout.contains("\"solver\" : \"\(solver)\""))
        }
        let e = try fairground("evaluate", model, "--train", split + "/train.mtx", "--test", split + "/test.mtx")
        #expect(e.status == 0 && e.stdout.contains("ndcg@k") && e.stdout.contains("popularity"), "\(e.stderr)")
        let r = try fairground("recommend", model, "--user", "5", "--data", split + "/train.mtx", "--k", "3", "--explain")
        #expect(r.status == 0 && r.stdout.hasPrefix("user 5:") && r.stdout.contains("because of item"), "\(r.stderr)")
        // Each explanation names the score it explains and its shares add up to 100%.
        #expect(r.stdout.contains("explains the folded-in score"))
        var total = 0.0, explained = 0
        for line in r.stdout.split(separator: "\n") {
            if line.contains("explains the folded-in score") {
                if explained > 0 { #expect(abs(total - 100) < 0.5, "shares sum to \(total)") }
                explained += 1
                total = 0
            } else if line.contains("because of item") || line.contains("the other") {
                total += Double(line.split(separator: " ").last!.dropLast()) ?? .nan
            }
        }
        #expect(explained == 3 && abs(total - 100) < 0.5, "shares sum to \(total)")
        let offers = try fairground("recommend", model, "--user", "5", "--data", split + "/train.mtx", "--k", "5",
                                    "--items", world + "/items.csv", "--only-category", "premium_credit", "--json")
        #expect(offers.status == 0, "\(offers.stderr)")
        // premium_credit items are ids 1600–1799 (contiguous blocks by share: 1000, 600, 200, 200).
        let ids = offers.stdout.split(separator: "\"item\": ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        #expect(ids.count == 5 && ids.allSatisfy { (1600..<1800).contains($0) }, "\(offers.stdout)")
        let unknownCategory = try fairground("recommend", model, "--user", "5", "--data", split + "/train.mtx",
                                             "--items", world + "/items.csv", "--only-category", "mortgages")
        #expect(unknownCategory.status == 2 && unknownCategory.stderr.contains("mortgages"))
        let similar = try fairground("recommend", model, "--similar-to", "7", "--k", "4")
        #expect(similar.status == 0 && similar.stdout.hasPrefix("items similar to 7:"), "\(similar.stderr)")
        let x = try fairground("export", model, "--npy", split + "/npy")
        #expect(x.status == 0 && FileManager.default.fileExists(atPath: split + "/npy/item_factors.npy"))

        // Bad input: a NaN weight (with its line), a corrupted model, a user out of range.
        let nan = try write("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n2 2 nan\n", "nan.mtx")
        let bad = try fairground("train", nan, "--out", scratch("nan.fgm"))
        #expect(bad.status == 2 && bad.stderr.contains("\(nan):4: expected a finite weight"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch("nan.fgm")))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        bytes[bytes.count / 2] ^= 0xFF
        let corrupted = scratch("corrupted.fgm")
        try bytes.write(to: URL(fileURLWithPath: corrupted))
        let c = try fairground("evaluate", corrupted, "--train", split + "/train.mtx", "--test", split + "/test.mtx")
        #expect(c.status == 2 && c.stderr.contains("checksum"), "\(c.stderr)")
        let u = try fairground("recommend", model, "--user", "999999", "--data", split + "/train.mtx")
        #expect(u.status == 2 && u.stderr.contains("--user"))
    }

    @Test func runUsesTheBuiltInScenario() throws {
        let out = scratch("run")
        let result = try fairground("run", "--out", out, "--users", "2000", "--factors", "16", "--iterations", "4",
                                    "--bootstrap", "50")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("credit-offers: 2000 users"))
        #expect(FileManager.default.fileExists(atPath: out + "/world/interactions.mtx"))
        #expect(FileManager.default.fileExists(atPath: out + "/model.fgm"))
        #expect(result.stdout.contains("report: \(out)/report/report.html"))
        for name in ["report.json", "report.md", "report.html", "junit.xml", "decisions.csv"] {
            #expect(FileManager.default.fileExists(atPath: out + "/report/" + name), "\(name)")
        }
    }

    /// Generates a small world and trains a model on it (shared by the audit tests).
    func auditFixture(_ name: String) throws -> (world: String, model: String) {
        let world = scratch(name + "-world"), model = scratch(name + ".fgm")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--out", world, "--users", "3000", "-q").status == 0)
        let t = try fairground("train", world, "--out", model, "--factors", "16", "--iterations", "4", "-q")
        #expect(t.status == 0, "\(t.stderr)")
        return (world, model)
    }

    /// `audit --config` folds users in under the file's λ, α and convention (the report says so), and refuses a
    /// configuration of another factor count naming the file and the field.
    @Test func auditTakesAConfigurationForItsFoldIn() throws {
        let (world, model) = try auditFixture("audit-config")
        let other = try write(#"{"format": "fairground-als-config", "factors": 48}"#, "other.json")
        let refused = try fairground("audit", world, "--model", model, "--config", other, "--out", scratch("never"))
        #expect(refused.status == 2 && refused.stderr.contains(other) && refused.stderr.contains("factors")
                && refused.stderr.contains("16 factors"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch("never")))
        let same = try write(#"{"format": "fairground-als-config", "factors": 16, "regularization": 5, "alpha": 2}"#,
                             "same.json")
        let out = scratch("audit-config-report")
        let audited = try fairground("audit", world, "--model", model, "--config", same, "--out", out, "--bootstrap", "20", "-q")
        #expect(audited.status == 0, "\(audited.stderr)")
        #expect(try read(out + "/report.md").contains("fold-in λ 5.0, α 2.0, 1 + α·r"))
    }

    /// Reproduces the issue: a rule naming an attribute or offer that does not exist, and a `--baseline` without a
    /// policy, passed silently (exit 0). Both are refused now, exit 2, nothing written.
    @Test func policiesThatCouldMatchNothingAreRefused() throws {
        let (world, model) = try auditFixture("policy-refusals")
        let wrongCase = try write("""
            version: 1
            rules:
              - name: four-fifths
                metric: demographic_parity_ratio
                at_least: 0.8
                attributes: [Gender]
            """, "wrong-case.yaml")
        let out = scratch("policy-refused")
        let refused = try fairground("audit", world, "--model", model, "--out", out, "--bootstrap", "20", "--policy", wrongCase)
        #expect(refused.status == 2, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("\(wrongCase):6:") && refused.stderr.contains("rules[0].attributes[0]")
                && refused.stderr.contains("gender, ethnicity"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let mortgage = try write("version: 1\nrules:\n  - {name: r, metric: demographic_parity_ratio, at_least: 0.8, offers: [mortgage]}\n",
                                 "mortgage.yaml")
        let noOffer = try fairground("audit", world, "--model", model, "--out", out, "--bootstrap", "20", "--policy", mortgage)
        #expect(noOffer.status == 2 && noOffer.stderr.contains("premium_credit, payday_loan"), "\(noOffer.stderr)")
        let first = scratch("policy-baseline")
        #expect(try fairground("audit", world, "--model", model, "--out", first, "--bootstrap", "20", "-q").status == 0)
        let lonely = try fairground("audit", world, "--model", model, "--out", out, "--baseline", first + "/report.json")
        #expect(lonely.status == 2 && lonely.stderr.contains("--baseline") && lonely.stderr.contains("no_regression"),
                "\(lonely.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Reproduces the issue: a baseline audited with another --target-share was compared without a word. It is
    /// refused naming the difference; with --baseline-mismatch warn it is compared, and the report and JUnit say so.
    @Test func baselineMismatchIsRefusedOrWarned() throws {
        let (world, model) = try auditFixture("baseline-mismatch")
        let first = scratch("baseline-first")
        #expect(try fairground("audit", world, "--model", model, "--out", first, "--bootstrap", "20",
                               "--target-share", "0.2", "-q").status == 0)
        let rule = try write("version: 1\nrules:\n  - {name: no regression, metric: demographic_parity_difference, no_regression: true}\n",
                             "no-regression.yaml")
        let out = scratch("baseline-second")
        let refused = try fairground("audit", world, "--model", model, "--out", out, "--bootstrap", "20",
                                     "--policy", rule, "--baseline", first + "/report.json")
        #expect(refused.status == 2 && refused.stderr.contains("target share 0.2 → 0.1"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let warned = try fairground("audit", world, "--model", model, "--out", out, "--bootstrap", "20",
                                    "--policy", rule, "--baseline", first + "/report.json", "--baseline-mismatch", "warn")
        #expect(warned.status == 0 || warned.status == 1, "\(warned.stderr)")
        #expect(try read(out + "/report.md").contains("**Warning:** the baseline was computed on something else"))
        #expect(try read(out + "/report.html").contains("target share 0.2 → 0.1"))
        #expect(try read(out + "/junit.xml").contains("name=\"warning\""))
    }

    /// Reproduces the issue: on the null world (no disparity by design) a rule `demographic_parity_difference ≤
    /// 0.005` exited 1, "violated with evidence", through an interval that leaned away from 0. Now the gap's
    /// interval reaches 0 unless its test rejects, and the gate rests on simultaneous intervals.
    @Test func theNullWorldPassesATightGate() throws {
        let world = scratch("null-world"), model = scratch("null.fgm")
        #expect(try fairground("generate", "datasets/null.yaml", "--out", world, "-q").status == 0)
        #expect(try fairground("train", world, "--out", model, "--holdout", "0", "-q").status == 0)
        let tight = try write("""
            version: 1
            rules:
              - {name: parity, metric: demographic_parity_difference, at_most: 0.005}
              - {name: ratio, metric: demographic_parity_ratio, at_least: 0.99}
            """, "tight.yaml")
        let out = scratch("null-gate")
        let gated = try fairground("audit", world, "--model", model, "--out", out, "--policy", tight)
        #expect(gated.status == 0, "\(gated.stdout) \(gated.stderr)")
        #expect(gated.stdout.contains("0 material, ") && !gated.stdout.contains(": violated"), "\(gated.stdout)")
        let report = try read(out + "/report.json")
        #expect(report.contains("\"simultaneous\"") && report.contains("\"interval\" : \"Wald projection\""))
    }

    /// Reproduces issue 12's crashers and silent writes: each was a SIGILL/SIGABRT, a multi-gigabyte allocation,
    /// a 30-second read or a file written into `/`; each is now a refusal, exit 2, naming the file or flag and the
    /// field, with nothing written.
    @Test func impossibleSizesAndOverflowsAreRefused() throws {
        let cases: [(file: String, text: String, says: String)] = [
            ("max-id.csv", "user,item,weight\n9223372036854775807,1,1\n", "max-id.csv:2: user: expected an id below"),
            ("sparse-id.csv", "user,item,weight\n1000000000000,1,1\n", "sparse-id.csv:2: user: expected an id below"),
            ("huge-item.csv", "user,item,weight\n1,2147483646,1\n", "huge-item.csv: items: expected a size that fits in memory"),
            ("huge.mtx", "%%MatrixMarket matrix coordinate real general\n1 1 1000000000000\n1 1 1\n",
             "huge.mtx:2: entries: expected at most"),
        ]
        for c in cases {
            let input = try write(c.text, c.file), out = scratch("bounded-" + c.file + ".fgm")
            let r = try fairground("train", input, "--out", out, "--holdout", "0", "-q")
            #expect(r.status == 2 && r.stderr.contains(c.says), "\(c.file): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        // A field followed by 100,000 spaces is read in linear time (it took 36 s): here it is refused at once
        // for a reason of its own, or trained on; either way quickly.
        let spaced = try write("user,item,weight\n1" + String(repeating: " ", count: 100_000) + ",1,1\n0,0,1\n", "spaced.csv")
        let clock = ContinuousClock(), start = clock.now
        _ = try fairground("train", spaced, "--out", scratch("spaced.fgm"), "--holdout", "0", "-q")
        #expect(clock.now - start < .seconds(10))

        let overflow = try fairground("generate", "datasets/null.yaml", "--first-user", "9223372036854775807",
                                      "--users", "1", "--out", scratch("overflow"))
        #expect(overflow.status == 2 && overflow.stderr.contains("--first-user: expected user ids below"), "\(overflow.stderr)")
        let many = try fairground("generate", "datasets/null.yaml", "--users", "1099511627777", "--out", scratch("many"))
        #expect(many.status == 2 && many.stderr.contains("--users: expected user ids below"), "\(many.stderr)")
        let empty = try fairground("generate", "datasets/null.yaml", "--users", "10", "--out", "")
        #expect(empty.status == 2 && empty.stderr.contains("an output path must not be empty"), "\(empty.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/population.csv"))

        let (world, model) = try auditFixture("bounded-audit")
        for (flag, value, says) in [("--bootstrap", "1000000000", "--bootstrap: expected from 20 to 100000"),
                                    ("--k", "1000000000", "--k: expected a list length from 1 to 10000"),
                                    ("--interest-threshold", "inf", "--interest-threshold: expected a finite threshold"),
                                    ("--interest-threshold", "nan", "--interest-threshold: expected a finite threshold")] {
            let out = scratch("bounded-report")
            let r = try fairground("audit", world, "--model", model, "--out", out, flag, value, "-q")
            #expect(r.status == 2 && r.stderr.contains(says), "\(flag) \(value): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        let weights = try write("user,item,weight\n0,1,1e20\n1,2,3\n2,1,1\n", "overflowing.csv")
        let nan = try fairground("train", weights, "--out", scratch("nan.fgm"), "--alpha", "1e20", "--holdout", "0", "-q")
        #expect(nan.status == 2 && nan.stderr.contains("--alpha: expected a training whose factors stay finite"), "\(nan.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch("nan.fgm")))
    }

    /// Reproduces issue 12's silent outputs: non-finite spec values written as `nan`, twins written over their
    /// factual world, an earlier decisions.csv left beside a new report, a rule name that made junit.xml invalid.
    @Test func nothingWrongIsWrittenSilently() throws {
        let spec = try read(Self.root + "/datasets/null.yaml").split(separator: "\n").map {
            $0.hasPrefix("  age:") ? "  age: {type: numeric, distribution: uniform, min: -1.7e308, max: 1.7e308}" : String($0)
        }.joined(separator: "\n")
        let infinite = try write(spec, "infinite.yaml"), out = scratch("infinite")
        let g = try fairground("generate", infinite, "--users", "100", "--out", out, "-q")
        #expect(g.status == 2 && g.stderr.contains("attributes.age: expected parameters whose values stay finite"),
                "\(g.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))

        let (world, model) = try auditFixture("silent")
        let over = try fairground("counterfactual", world, "--set", "gender=male", "--out", world + "/", "-q")
        #expect(over.status == 2 && over.stderr.contains("--out: expected a directory other than the factual world's"),
                "\(over.stderr)")
        let report = scratch("silent-report")
        #expect(try fairground("audit", world, "--model", model, "--out", report, "--bootstrap", "20", "-q").status == 0)
        #expect(FileManager.default.fileExists(atPath: report + "/decisions.csv"))
        let rule = try write("version: 1\nrules:\n  - {name: \"nul\\u0000rule\", metric: demographic_parity_ratio, at_least: 0.01}\n",
                             "nul.yaml")
        let again = try fairground("audit", world, "--model", model, "--out", report, "--bootstrap", "20",
                                   "--no-decisions", "--policy", rule, "-q")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: report + "/decisions.csv"))
        let junit = try read(report + "/junit.xml")
        #expect(!junit.unicodeScalars.contains { $0.value < 0x20 && ![9, 10, 13].contains($0.value) })
        #expect(junit.contains("nul\u{FFFD}rule"))
    }

    /// Reproduces issue 12's mixed directory, deterministically: a world whose `truth.csv` is replaced by a
    /// directory, generated into with another seed, exits 2 with three files already renamed. Its old record is
    /// removed before the commit, so every reader refuses the directory; a directory mixing two runs' files is
    /// refused naming the file whose size differs from the record.
    @Test func readersRefuseMixedOrUncommittedDirectories() throws {
        let world = scratch("commit-world"), mixed = scratch("commit-mixed"), other = scratch("commit-other")
        for (dir, seed) in [(world, "1"), (other, "77")] {
            #expect(try fairground("generate", "datasets/credit-offers.yaml", "--users", "400", "--seed", seed,
                                   "--out", dir, "-q").status == 0)
        }
        try FileManager.default.copyItem(atPath: world, toPath: mixed)
        try FileManager.default.removeItem(atPath: mixed + "/truth.csv")
        try FileManager.default.createDirectory(atPath: mixed + "/truth.csv", withIntermediateDirectories: false)
        let populationBefore = try read(mixed + "/population.csv"), manifestBefore = try read(mixed + "/manifest.json")
        let failed = try fairground("generate", "datasets/credit-offers.yaml", "--users", "400", "--seed", "77",
                                    "--out", mixed, "-q")
        // The directory in the way is refused before anything is renamed (issue 26): the old output stays whole.
        #expect(failed.status == 2 && failed.stderr.contains("truth.csv"), "\(failed.stderr)")
        #expect(try read(mixed + "/population.csv") == populationBefore)
        #expect(try read(mixed + "/manifest.json") == manifestBefore)
        for arguments in [["train", mixed, "--out", scratch("m.fgm"), "-q"],
                          ["counterfactual", mixed, "--set", "gender=male", "--out", scratch("m-twins"), "-q"]] {
            let r = try fairground(arguments)
            #expect(r.status == 2 && r.stderr.contains("manifest.json") && r.stderr.contains("truth.csv: missing"),
                    "\(r.stderr)")
        }
        let spliced = scratch("commit-spliced")
        try FileManager.default.copyItem(atPath: world, toPath: spliced)
        try FileManager.default.removeItem(atPath: spliced + "/population.csv")
        try FileManager.default.copyItem(atPath: other + "/population.csv", toPath: spliced + "/population.csv")
        let r = try fairground("counterfactual", spliced, "--set", "gender=male", "--out", scratch("s-twins"), "-q")
        #expect(r.status == 2 && r.stderr.contains("the directory mixes runs") && r.stderr.contains("population.csv"),
                "\(r.stderr)")
    }

    /// A run killed before its commit leaves `.NAME.tmp-PID` files; the next run into the directory removes those
    /// of processes no longer alive.
    @Test func staleTemporaryFilesAreRemovedByTheNextRun() throws {
        let out = scratch("stale")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // A pid far above any live one (the kernel's limit is below 2²²).
        let stale = out + "/.population.csv.tmp-2147483000"
        try Data("half".utf8).write(to: URL(fileURLWithPath: stale))
        let r = try fairground("generate", "datasets/null.yaml", "--users", "50", "--out", out, "-q")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    @Test func auditWritesReportsAndGatesOnPolicy() throws {
        let (world, model) = try auditFixture("audit")
        let out = scratch("audit-report")
        let plain = try fairground("audit", world, "--model", model, "--out", out, "--bootstrap", "50",
                                   "--privileged", "gender=male")
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains(" material, ") && plain.stdout.contains(" inconclusive among "))
        let json = try read(out + "/report.json")
        #expect(json.contains("\"format\" : \"fairground-audit\"") && json.contains("\"disparate_impact_ratio\""))
        let html = try read(out + "/report.html")
        #expect(HTMLCheck.unbalancedTags(html) == [], "\(HTMLCheck.unbalancedTags(html))")
        #expect(html.contains("<svg") && !html.contains("<script") && !html.contains("src="))
        let junit = try read(out + "/junit.xml")
        #expect(junit.hasPrefix("<?xml") && junit.contains("classname=\"fairground.findings\""))
        #expect(HTMLCheck.unbalancedTags(junit) == [])
        let decisions = try read(out + "/decisions.csv").split(separator: "\n")
        #expect(decisions.count == 3001)
        #expect(decisions[0].hasPrefix("user_id,gender,ethnicity,premium_credit.score,premium_credit.targeted,"))

        // A policy violated with evidence exits 1; the reports still say why.
        let strict = try write("""
            version: 1
            rules:
              - name: ninety-percent rule for premium credit
                metric: demographic_parity_ratio
                offers: [premium_credit]
                attributes: [gender]
                at_least: 0.99
            """, "strict.yaml")
        let gatedReport = scratch("gated")
        let gated = try fairground("audit", world, "--model", model, "--out", gatedReport, "--bootstrap", "50",
                                   "--policy", strict)
        #expect(gated.status == 1, "\(gated.stdout) \(gated.stderr)")
        #expect(gated.stdout.contains("policy: ninety-percent rule for premium credit: violated"))
        #expect(try read(gatedReport + "/junit.xml").contains("<failure message=\"violated with evidence\">"))

        // A lenient policy and a no-regression rule against the first report pass.
        let lenient = try write("""
            version: 1
            rules:
              - {name: lenient, metric: demographic_parity_ratio, at_least: 0.05}
              - {name: no regression, metric: demographic_parity_difference, no_regression: true}
            """, "lenient.yaml")
        let passedReport = scratch("passed")
        let passed = try fairground("audit", world, "--model", model, "--out", passedReport, "--bootstrap", "50",
                                    "--policy", lenient, "--baseline", out + "/report.json", "--no-decisions")
        #expect(passed.status == 0, "\(passed.stdout) \(passed.stderr)")
        #expect(FileManager.default.fileExists(atPath: passedReport + "/junit.xml"))
        #expect(!FileManager.default.fileExists(atPath: passedReport + "/decisions.csv"))
    }

    @Test func auditBadInputExitsTwoAndWritesNothing() throws {
        let (world, model) = try auditFixture("audit-bad")
        let out = scratch("audit-bad-report")
        let policy = try write("version: 1\nrules:\n  - {name: x, metric: parity, at_least: 0.8}\n", "bad-policy.yaml")
        let p = try fairground("audit", world, "--model", model, "--out", out, "--policy", policy)
        #expect(p.status == 2 && p.stderr.contains("\(policy):3: rules[0].metric: expected one of"), "\(p.stderr)")
        let m = try fairground("audit", world, "--model", scratch("missing.fgm"), "--out", out)
        #expect(m.status == 2, "\(m.stderr)")
        let share = try fairground("audit", world, "--model", model, "--out", out, "--target-share", "1.5")
        #expect(share.status == 2 && share.stderr.contains("target-share: expected a share in (0, 1)"), "\(share.stderr)")
        let privileged = try fairground("audit", world, "--model", model, "--out", out, "--privileged", "gender=other")
        #expect(privileged.status == 2 && privileged.stderr.contains("expected one of female, male"), "\(privileged.stderr)")
        let both = try fairground("audit", world, "--out", out)
        #expect(both.status == 2 && both.stderr.contains("exactly one of --model and --scores"))
        let scores = try write("user_id,offer,score\n0,premium_credit,nan\n", "nan-scores.csv")
        let s = try fairground("audit", world, "--scores", scores, "--out", out)
        #expect(s.status == 2 && s.stderr.contains("\(scores):2: score: expected a finite number"), "\(s.stderr)")
        // A Double beyond Float's range used to pass and become inf later, reported without file or line.
        let large = try write("user_id,offer,score\n0,premium_credit,1e308\n", "large-scores.csv")
        let l = try fairground("audit", world, "--scores", large, "--out", out)
        #expect(l.status == 2 && l.stderr.contains("\(large):2: score: expected a finite number within single precision"),
                "\(l.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func externalScoresGiveTheSameCampaignFindings() throws {
        let (world, model) = try auditFixture("byom")
        let out = scratch("byom-model")
        #expect(try fairground("audit", world, "--model", model, "--out", out, "--bootstrap", "50", "--no-naive").status == 0)
        // The model's own factual and twin scores, written as an external model would.
        let rows = try read(out + "/decisions.csv").split(separator: "\n").map { $0.split(separator: ",") }
        let header = rows[0].map(String.init)
        func csv(_ name: String, _ column: (String) -> String) throws -> String {
            var text = "user_id,offer,score\n"
            for offer in ["premium_credit", "payday_loan"] {
                let c = header.firstIndex(of: column(offer))!
                for row in rows.dropFirst() { text += "\(row[0]),\(offer),\(row[c])\n" }
            }
            return try write(text, name)
        }
        let factual = try csv("byom-factual.csv") { "\($0).score" }
        let male = try csv("byom-male.csv") { "\($0).twin_score[gender=male]" }
        let external = scratch("byom-external")
        let e = try fairground("audit", world, "--scores", factual, "--twin-scores", "gender=male=\(male)",
                               "--out", external, "--bootstrap", "50")
        #expect(e.status == 0, "\(e.stderr)")
        // Values and intervals agree; adjusted p-values differ because the external audit has fewer tests.
        func campaign(_ path: String) throws -> [String] {
            try read(path + "/report.md").split(separator: "\n")
                .filter { $0.hasPrefix("| premium_credit | gender |  |") && $0.contains("| fairlearn |") }
                .map { $0.split(separator: "|").prefix(7).joined(separator: "|") }
        }
        #expect(try campaign(out) == campaign(external))
        #expect(try campaign(out).count == 4)
        #expect(try read(external + "/report.md").contains("do(gender=male)"))
    }
}

/// A minimal well-formedness check for generated HTML/XML: every non-void element that opens also closes, in order.
enum HTMLCheck {
    static let void: Set<String> = ["meta", "br", "img", "input", "link", "hr"]

    /// Tags that do not nest properly (empty when the document is balanced).
    static func unbalancedTags(_ text: String) -> [String] {
        var stack: [String] = []
        var problems: [String] = []
        var i = text.startIndex
        while let open = text[i...].firstIndex(of: "<") {
            guard let close = text[open...].firstIndex(of: ">") else { return ["unterminated tag"] }
            let body = text[text.index(after: open)..<close]
            i = text.index(after: close)
            if body.hasPrefix("!") || body.hasPrefix("?") { continue }
            let name = body.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "/" }).first.map { $0.lowercased() } ?? ""
            if body.hasPrefix("/") {
                if stack.last == name { stack.removeLast() } else { problems.append("</\(name)>") }
            } else if !body.hasSuffix("/") && !void.contains(name) {
                stack.append(name)
            }
        }
        return problems + stack.map { "<\($0)> not closed" }
    }
}

/// Every command that reads a generated directory reads it through one loader, consent column included: `tune`
/// trains its trials on what `train` would, `split` keeps opted-out users' interactions out of both files, and
/// `evaluate` does not rank them.
extension CommandLineTests {
    /// The world's interactions without its opted-out users' rows (renumbered), as a Matrix Market file, and how
    /// many users opted out.
    func consentingOnly(_ world: String) throws -> (path: String, optedOut: Int) {
        let population = try read(world + "/population.csv").split(separator: "\n")
        let column = try #require(population[0].split(separator: ",").firstIndex(of: "consent"))
        let consents = population.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[column] == "true" }
        var newRow: [Int: Int] = [:]
        for (u, consents) in consents.enumerated() where consents { newRow[u + 1] = newRow.count + 1 }
        let lines = try read(world + "/interactions.mtx").split(separator: "\n")
        var header: [String] = [], entries: [String] = [], size: [Substring] = []
        for line in lines {
            if line.hasPrefix("%") { header.append(String(line)); continue }
            if size.isEmpty { size = line.split(separator: " "); continue }
            let fields = line.split(separator: " ")
            if let row = newRow[Int(fields[0])!] { entries.append("\(row) \(fields[1]) \(fields[2])") }
        }
        let text = header.prefix(1).joined() + "\n\(newRow.count) \(size[1]) \(entries.count)\n"
            + entries.joined(separator: "\n") + "\n"
        return (try write(text, "consenting-only.mtx"), consents.count - newRow.count)
    }

    @Test func tuneTrainsItsTrialsWithoutOptedOutUsers() throws {
        let world = scratch("tune-consent-world")
        #expect(try fairground("generate", "datasets/opt-out-skew.yaml", "--users", "2000", "--out", world, "-q").status == 0)
        let (consenting, optedOut) = try consentingOnly(world)
        #expect(optedOut > 0)
        func trials(_ data: String, _ extra: String...) throws -> (rows: [Substring], stdout: String) {
            let r = try fairground(["tune", data, "--budget", "2", "--seed", "3", "--factors", "8", "--iterations", "3",
                                        "--out", scratch("tune-consent.json")] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return (r.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }, r.stdout)
        }
        let honoured = try trials(world), direct = try trials(consenting)
        #expect(honoured.rows.count == 2 && honoured.rows == direct.rows, "\(honoured.rows) vs \(direct.rows)")
        #expect(honoured.stdout.contains("left out of training: \(optedOut) opted-out users"), "\(honoured.stdout)")
        let ignored = try trials(world, "--consent", "ignore")
        #expect(ignored.rows != direct.rows)
    }

    @Test func splitAndEvaluateHonourConsent() throws {
        let world = scratch("split-consent-world")
        #expect(try fairground("generate", "datasets/opt-out-skew.yaml", "--users", "2000", "--out", world, "-q").status == 0)
        let population = try read(world + "/population.csv").split(separator: "\n")
        let column = try #require(population[0].split(separator: ",").firstIndex(of: "consent"))
        let optedOut = Set(population.dropFirst().enumerated().filter {
            $0.element.split(separator: ",", omittingEmptySubsequences: false)[column] == "false" }.map { $0.offset + 1 })
        func rows(_ path: String) throws -> Set<Int> {
            Set(try read(path).split(separator: "\n").filter { !$0.hasPrefix("%") }.dropFirst()
                .map { Int($0.split(separator: " ")[0])! })
        }
        let honour = scratch("split-honour"), ignore = scratch("split-ignore")
        let s = try fairground("split", world, "--out", honour)
        #expect(s.status == 0 && s.stdout.contains("left out: \(optedOut.count) opted-out users"), "\(s.stdout) \(s.stderr)")
        #expect(try fairground("split", world, "--out", ignore, "--consent", "ignore").status == 0)
        for file in ["/train.mtx", "/test.mtx"] {
            #expect(try rows(honour + file).isDisjoint(with: optedOut))
            #expect(!(try rows(ignore + file).isDisjoint(with: optedOut)))
        }
        // evaluate on the directory itself: opted-out users are not ranked unless asked.
        let model = scratch("split-consent.fgm")
        #expect(try fairground("train", honour + "/train.mtx", "--out", model, "--factors", "8", "--iterations", "3",
                                   "--holdout", "0", "-q").status == 0)
        func evaluated(_ extra: String...) throws -> Int {
            let r = try fairground(["evaluate", model, "--train", world, "--test", ignore + "/test.mtx", "--json"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            return ((json?["model"] as? [String: Any])?["users"] as? Int) ?? -1
        }
        let all = try evaluated("--consent", "ignore"), consenting = try evaluated()
        #expect(all > consenting && consenting > 0, "\(all) vs \(consenting)")
    }
}
