import Foundation
import Testing

/// The sharded audit (issue 14, point 3): N shards scored, cut at the exact global cut-offs, tallied and merged
/// give the single-machine audit's report files byte for byte; shards and parts of other audits, missing or
/// repeated ones are refused (exit 2, nothing written).
extension CommandLineTests {
    /// A world of 20,000 users (five blocks of 4096 ids) and a small model.
    func shardedFixture(_ name: String) throws -> (world: String, model: String) {
        let world = scratch(name + "-world"), model = scratch(name + ".fgm")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--out", world, "--users", "20000", "-q").status == 0)
        let t = try fairground("train", world, "--out", model, "--factors", "12", "--iterations", "3", "-q")
        #expect(t.status == 0, "\(t.stderr)")
        return (world, model)
    }

    /// Runs the four steps on `n` shards (the parts merged in reverse order) and returns the report directory.
    func shardedAudit(_ world: String, _ model: String, shards n: Int, name: String, options: [String],
                      merge extra: [String] = []) throws -> (report: String, status: Int32) {
        var scored: [String] = []
        for i in 1...n {
            let out = scratch("\(name)-shard\(i)")
            let r = try fairground(["audit", world, "--model", model, "--shard", "\(i)/\(n)", "--out", out,
                                    "--threads", "1", "-q"] + options)
            #expect(r.status == 0, "\(r.stderr)")
            scored.append(out)
        }
        let cutoffs = scratch("\(name)-cutoffs.json")
        let c = try fairground(["audit-shard", "cutoffs"] + scored + ["--out", cutoffs, "-q"])
        #expect(c.status == 0, "\(c.stderr)")
        var parts: [String] = []
        for (i, shard) in scored.enumerated() {
            let out = scratch("\(name)-part\(i + 1)")
            let r = try fairground("audit-shard", "tally", shard, "--cutoffs", cutoffs, "--out", out, "-q")
            #expect(r.status == 0, "\(r.stderr)")
            parts.append(out)
        }
        let report = scratch("\(name)-report")
        let m = try fairground(["audit-shard", "merge"] + parts.reversed() + ["--out", report, "-q"] + extra)
        #expect(m.status <= 1, "\(m.stderr)")
        return (report, m.status)
    }

    @Test func shardedAuditsMergeToTheSingleMachineReportByteForByte() throws {
        let (world, model) = try shardedFixture("sharded")
        let configurations: [[String]] = [
            ["--bootstrap", "50"],
            ["--bootstrap", "30", "--interest-share", "0.2", "--target-share", "0.15", "--keep", "income",
             "--metric", "equalized_odds_ratio", "--audit-seed", "7"],
        ]
        let policy = try write("version: 1\nrules:\n  - {name: parity, metric: demographic_parity_difference, at_most: 0.001}\n",
                               "sharded-policy.yaml")
        for (c, options) in configurations.enumerated() {
            let single = scratch("sharded-single-\(c)")
            let s = try fairground(["audit", world, "--model", model, "--out", single, "--threads", "2", "-q",
                                    "--policy", policy] + options)
            #expect(s.status <= 1, "\(s.stderr)")
            for n in [1, 2, 4] {
                let (report, status) = try shardedAudit(world, model, shards: n, name: "sharded-\(c)-\(n)",
                                                        options: options, merge: ["--policy", policy])
                #expect(status == s.status, "N = \(n): merge exit \(status), single \(s.status)")
                for file in ["report.json", "report.md", "report.html", "junit.xml", "decisions.csv"] {
                    let a = FileManager.default.contents(atPath: single + "/" + file)
                    let b = FileManager.default.contents(atPath: report + "/" + file)
                    #expect(a != nil && a == b, "configuration \(c), N = \(n): \(file) differs")
                }
            }
        }
    }

    @Test func shardedAuditsRefuseWhatDoesNotBelongTogether() throws {
        let (world, model) = try shardedFixture("sharded-bad")
        func shard(_ i: Int, _ n: Int, _ name: String, _ extra: [String] = []) throws -> String {
            let out = scratch(name)
            let r = try fairground(["audit", world, "--model", model, "--shard", "\(i)/\(n)", "--out", out,
                                    "--bootstrap", "20", "-q"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return out
        }
        let one = try shard(1, 2, "bad-1"), two = try shard(2, 2, "bad-2")
        let otherShare = try shard(2, 2, "bad-2-share", ["--target-share", "0.2"])
        let never = scratch("bad-never")
        func refused(_ arguments: [String], _ words: [String]) throws {
            let r = try fairground(arguments)
            #expect(r.status == 2, "\(arguments): \(r.status) \(r.stderr)")
            for w in words { #expect(r.stderr.contains(w), "\(arguments): \(r.stderr)") }
            #expect(!FileManager.default.fileExists(atPath: never))
        }
        try refused(["audit-shard", "cutoffs", one, "--out", never], ["2/2 missing"])
        try refused(["audit-shard", "cutoffs", one, one, two, "--out", never], ["again"])
        try refused(["audit-shard", "cutoffs", one, otherShare, "--out", never], [otherShare, "configuration"])
        try refused(["audit", world, "--model", model, "--shard", "6/6", "--out", never], ["at most 5 shards"])
        try refused(["audit", world, "--model", model, "--shard", "3/2", "--out", never], ["--shard"])
        try refused(["audit", world, "--model", model, "--shard", "1/2", "--policy", "x.yaml", "--out", never],
                    ["audit-shard merge"])
        // Parts tallied against another audit's cut-offs, and a part missing from the merge.
        let cutoffs = scratch("bad-cutoffs.json"), otherCutoffs = scratch("bad-cutoffs-other.json")
        #expect(try fairground("audit-shard", "cutoffs", one, two, "--out", cutoffs, "-q").status == 0)
        let one3 = try shard(1, 3, "bad3-1"), two3 = try shard(2, 3, "bad3-2"), three3 = try shard(3, 3, "bad3-3")
        #expect(try fairground("audit-shard", "cutoffs", one3, two3, three3, "--out", otherCutoffs, "-q").status == 0)
        try refused(["audit-shard", "tally", one, "--cutoffs", otherCutoffs, "--out", never], ["--cutoffs", "3 shards"])
        let p1 = scratch("bad-part-1"), p2 = scratch("bad-part-2")
        #expect(try fairground("audit-shard", "tally", one, "--cutoffs", cutoffs, "--out", p1, "-q").status == 0)
        #expect(try fairground("audit-shard", "tally", two, "--cutoffs", cutoffs, "--out", p2, "-q").status == 0)
        try refused(["audit-shard", "merge", p1, "--out", never], ["2/2 missing"])
        try refused(["audit-shard", "merge", p1, scratch("bad-part-none"), "--out", never], ["part.fga"])
        try refused(["audit-shard", "tally", world, "--cutoffs", cutoffs, "--out", never], ["shard.fga"])
        // A part whose file was cut short.
        let truncated = scratch("bad-part-truncated")
        try FileManager.default.copyItem(atPath: p2, toPath: truncated)
        let data = try Data(contentsOf: URL(fileURLWithPath: truncated + "/part.fga"))
        try data.prefix(data.count - 64).write(to: URL(fileURLWithPath: truncated + "/part.fga"))
        try refused(["audit-shard", "merge", p1, truncated, "--out", never], ["truncated"])
        // The privacy view's probes fit one model over everyone: a sharded audit refuses it, naming the way out.
        let consent = scratch("bad-consent-world"), consentModel = scratch("bad-consent.fgm")
        #expect(try fairground("generate", "datasets/opt-out-skew.yaml", "--out", consent, "--users", "9000", "-q").status == 0)
        #expect(try fairground("train", consent, "--out", consentModel, "--factors", "8", "--iterations", "2", "-q").status == 0)
        try refused(["audit", consent, "--model", consentModel, "--shard", "1/2", "--out", never], ["--privacy off"])
        let off = scratch("bad-consent-off")
        #expect(try fairground("audit", consent, "--model", consentModel, "--shard", "1/2", "--privacy", "off",
                               "--out", off, "-q").status == 0)
    }
}

extension CommandLineTests {
    /// scale/spark_pipeline.py (issue 14, point 4), in Spark's local mode: generation, audit scoring and tallying
    /// run as Spark tasks on three shards, Spark ALS trains the model; the merged report is the single-machine
    /// audit's of the same world and model, byte for byte.
    @Test(.enabled(if: hasSpark, "pyspark (with pyarrow) and Java are not installed: pip install pyspark pyarrow"))
    func sparkPipelineReportIsTheSingleMachineReport() throws {
        let work = scratch("pipeline-work"), report = scratch("pipeline-report")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root + "/scale/spark_pipeline.py", "datasets/credit-offers.yaml",
                             "--users", "10000", "--shards", "3", "--work", work, "--out", report,
                             "--fairground", Self.binary, "--rank", "6", "--iterations", "4", "--master", "local[2]",
                             "--audit-arg=--bootstrap", "--audit-arg=30"]
        process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr.suffix(2000))")
        let world = scratch("pipeline-world"), single = scratch("pipeline-single")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--users", "10000", "--out", world, "-q").status == 0)
        let s = try fairground("audit", world, "--model", work + "/model.fgm", "--bootstrap", "30", "--out", single, "-q")
        #expect(s.status == 0, "\(s.stderr)")
        for file in ["report.json", "decisions.csv"] {
            let a = FileManager.default.contents(atPath: single + "/" + file)
            #expect(a != nil && a == FileManager.default.contents(atPath: report + "/" + file), "\(file) differs")
        }
        #expect(try read(report + "/report.md").contains("λ 0.1·n_u"))
    }
}
