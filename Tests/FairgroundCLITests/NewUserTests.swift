import Foundation
import Testing

/// The CLI as a new user finds it (issue 24, point 6): `audit DIR` takes a directory of any name and its help lists
/// its options, `run` and `generate` take a shipped scenario's name, durations print rounded, and each walk-through
/// writes under a folder of its own. Every refusal is one `error: …` line and exit status 2.
extension CommandLineTests {
    /// `fairground audit world --model m.fgm --out r` — the world where `make demo` puts it, seen from inside
    /// `demo-output/` — failed with "Missing expected argument '<directory>'": `world` was a hidden subcommand. The
    /// audit has no subcommands now, so the old steps' names (`cutoffs`, `tally`, `merge`) are directories too.
    @Test func auditTakesADirectoryOfAnyName() throws {
        let (world, model) = try auditFixture("any-name")
        let base = scratch("any-name-demo-output")
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        for name in ["world", "cutoffs", "tally", "merge", "audit-shard"] {
            try FileManager.default.copyItem(atPath: world, toPath: base + "/" + name)
            let r = try fairground(["audit", name, "--model", model, "--out", name + "-report", "--bootstrap", "20", "-q"],
                                   in: base)
            #expect(r.status == 0, "audit \(name): \(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: base + "/\(name)-report/report.json"), "audit \(name)")
        }
        // A directory that is not a generated world is still refused, naming it.
        let missing = try fairground(["audit", "nowhere", "--model", model, "--out", "never"], in: base)
        #expect(missing.status == 2 && missing.stderr.hasPrefix("error: ") && missing.stderr.contains("nowhere"),
                "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: base + "/never"))
        let bare = try fairground("audit")
        #expect(bare.status == 2 && bare.stderr.hasPrefix("error: ") && bare.stderr.contains("<directory>"), "\(bare.stderr)")
    }

    /// `fairground audit --help` listed only subcommands; the audit's options hid under `help audit world`. Now it
    /// lists them, and names `audit-shard`, whose help lists the three steps.
    @Test func auditHelpListsTheAuditsOptions() throws {
        for arguments in [["audit", "--help"], ["help", "audit"]] {
            let help = try fairground(arguments)
            #expect(help.status == 0, "\(arguments): \(help.stderr)")
            for option in ["<directory>", "--model", "--scores", "--twin-scores", "--out", "--shard", "--target-share",
                           "--bootstrap", "--policy", "--privacy", "--threads", "audit-shard"] {
                #expect(help.stdout.contains(option), "\(arguments) does not mention \(option)")
            }
            #expect(!help.stdout.contains("SUBCOMMANDS"), "\(arguments)")
        }
        let steps = try fairground("audit-shard", "--help")
        #expect(steps.status == 0)
        for step in ["cutoffs", "tally", "merge", "--shard"] {
            #expect(steps.stdout.contains(step), "audit-shard --help does not mention \(step)")
        }
        let tally = try fairground("audit-shard", "tally", "--help")
        #expect(tally.status == 0 && tally.stdout.contains("--cutoffs"))
        let unknown = try fairground("audit-shard", "score")
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("error: "), "\(unknown.stderr)")
    }

    /// `fairground run job-ads` was refused ("job-ads: file: expected a readable spec file"): a shipped scenario is
    /// taken by its name, by `run` and `generate` alike, and gives the same world as its file. A directory bearing a
    /// scenario's name (an earlier `--out job-ads`) does not hide it; a regular file of that name is read instead;
    /// anything else is refused, listing the names.
    @Test func runAndGenerateTakeAShippedScenarioByName() throws {
        let out = scratch("run-job-ads")
        let run = try fairground("run", "job-ads", "--out", out, "--users", "2000", "--factors", "8", "--iterations", "2",
                                 "--holdout", "0", "--bootstrap", "20")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("job-ads: 2000 users"), "\(run.stdout.prefix(300))")
        #expect(FileManager.default.fileExists(atPath: out + "/report/report.json"))

        let base = scratch("scenario-names")
        try FileManager.default.createDirectory(atPath: base + "/null", withIntermediateDirectories: true)
        let named = try fairground(["generate", "null", "--out", "by-name", "--users", "500", "-q"], in: base)
        #expect(named.status == 0, "\(named.stderr)")
        let file = try fairground("generate", "datasets/null.yaml", "--out", base + "/by-file", "--users", "500", "-q")
        #expect(file.status == 0, "\(file.stderr)")
        for name in ["population.csv", "interactions.mtx", "truth.csv"] {
            let a = FileManager.default.contents(atPath: base + "/by-name/" + name)
            #expect(a != nil && a == FileManager.default.contents(atPath: base + "/by-file/" + name), "\(name) differs")
        }
        try FileManager.default.copyItem(atPath: Self.root + "/datasets/null.yaml", toPath: base + "/job-ads")
        let shadowed = try fairground(["generate", "job-ads", "--out", "from-file", "--users", "500"], in: base)
        #expect(shadowed.status == 0 && shadowed.stdout.contains("null: 500 users"), "\(shadowed.stderr)")

        let never = scratch("run-unknown")
        for command in ["run", "generate"] {
            let unknown = try fairground(command, "job-adz", "--out", never)
            #expect(unknown.status == 2 && unknown.stderr.hasPrefix("error: job-adz: ")
                    && unknown.stderr.contains("credit-offers, job-ads,"), "\(command): \(unknown.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: never))
        let help = try fairground("run", "--help")
        #expect(help.stdout.contains("job-ads"), "run --help does not name the scenarios")
    }

    /// `train` printed `iteration 1: 0.060910083000000004 s`: a duration prints to the millisecond.
    @Test func trainPrintsDurationsToTheMillisecond() throws {
        let world = scratch("durations-world"), model = scratch("durations.fgm")
        #expect(try fairground("generate", "datasets/null.yaml", "--out", world, "--users", "1000", "-q").status == 0)
        for extra in [[], ["--loss"]] {
            let t = try fairground(["train", world, "--out", model, "--factors", "8", "--iterations", "3", "--holdout", "0"]
                                   + extra)
            #expect(t.status == 0, "\(t.stderr)")
            let lines = t.stdout.split(separator: "\n").filter { $0.hasPrefix("iteration ") }
            #expect(lines.count == 3, "\(t.stdout)")
            for line in lines {
                // iteration N: S.SSS s[, loss L]
                let words = line.split(separator: " ")
                let seconds = words.count >= 4 ? words[2].split(separator: ".", omittingEmptySubsequences: false) : []
                #expect(seconds.count == 2 && seconds[1].count == 3 && seconds.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
                        && words[3].hasPrefix("s"), "\(line)")
                #expect(line.contains(", loss ") == !extra.isEmpty, "\(line)")
            }
        }
    }

    /// Walk-throughs 01 and 03 both wrote `out/model.fgm`, so running part of 01 after 03 audited 03's model and
    /// was refused. Every path a walk-through's commands name under `out/` lies in a folder of that walk-through's
    /// own, which no other walk-through writes into.
    @Test func walkThroughsWriteUnderFoldersOfTheirOwn() throws {
        let notebooks = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/notebooks-md")
            .filter { $0.hasSuffix(".md") }.sorted()
        #expect(notebooks.count >= 4)
        var owners: [String: String] = [:]
        for notebook in notebooks {
            let words = try shellBlocks(notebook).joined(separator: "\n")
                .split(whereSeparator: { " \n\t=\"'<>|;".contains($0) })
            let paths = words.filter { $0.hasPrefix("out/") }
            let folders = Set(paths.map { $0.split(separator: "/", omittingEmptySubsequences: false) }
                .map { $0.count >= 3 && !$0[1].isEmpty ? String($0[1]) : "(directly in out/)" })
            #expect(folders.count <= 1 && !folders.contains("(directly in out/)"),
                    "\(notebook) writes under several folders of out/: \(folders.sorted())")
            for folder in folders {
                if let other = owners.updateValue(notebook, forKey: folder) {
                    Issue.record("\(other) and \(notebook) both write under out/\(folder)/")
                }
            }
        }
    }
}
