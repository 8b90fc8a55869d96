import ArgumentParser
import FileSupport
import Audit
import Sharding
import Pipeline
import Report

/// `fairground audit-shard cutoffs|tally|merge`: the steps of a sharded audit after scoring (`fairground audit DIR
/// --model MODEL --shard I/N --out SHARD`). They live under a command of their own so that `fairground audit DIR`
/// takes a directory of any name.
struct AuditShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-shard",
        abstract: "The steps of a sharded audit after scoring: cut-offs, tally, merge.",
        discussion: """
            A sharded audit gives the single-machine report byte for byte in four steps: \
            'fairground audit DIR --model MODEL --shard I/N --out SHARD' for each I (scores shard I), \
            'fairground audit-shard cutoffs SHARD... --out CUTOFFS' (the exact global cut-offs), \
            'fairground audit-shard tally SHARD --cutoffs CUTOFFS --out PART' for each shard, and \
            'fairground audit-shard merge PART... --out REPORT'.
            """,
        subcommands: [AuditCutoffsCommand.self, AuditTally.self, AuditMerge.self])
}

/// `fairground audit-shard cutoffs SHARD... --out CUTOFFS`.
struct AuditCutoffsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutoffs",
        abstract: "The exact global campaign cut-offs and score-change quantiles of a sharded audit's scored shards.",
        discussion: "Reads a few hundred records of each shard (binary searches), not their users.")

    @Argument(help: "Every scored shard directory of the audit ('fairground audit DIR --shard I/N').")
    var shards: [String]
    @Option(help: "The cut-offs file to write (JSON).") var out: String
    @OptionGroup var options: ComputeOptions

    func run() throws {
        let cutoffs = try AuditCutoffs(shards: shards)
        try cutoffs.write(to: out)
        if !options.quiet { print("cut-offs of \(cutoffs.users) users in \(cutoffs.shards) shards: \(out)") }
    }
}

/// `fairground audit-shard tally SHARD --cutoffs CUTOFFS --out PART`.
struct AuditTally: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "One scored shard's mergeable statistics at the audit's global cut-offs (a part for 'audit-shard merge').")

    @Argument(help: "A scored shard directory.") var shard: String
    @Option(help: "The cut-offs file ('fairground audit-shard cutoffs').") var cutoffs: String
    @Option(help: "The part directory to write.") var out: String
    @Flag(help: "Do not write the shard's rows of decisions.csv.") var noDecisions = false
    @OptionGroup var options: ComputeOptions

    func run() throws {
        let threads = options.resolvedThreads
        let cut = try AuditCutoffs.read(path: cutoffs)
        let scored = try ScoredShard(directory: shard)
        let part = try AuditPart(tallying: scored, cutoffs: cut, threads: threads)
        var writer = ReportWriter()
        writer.decisions = !noDecisions
        writer.threads = threads
        try writer.write(part, to: out)
        if !options.quiet { print("tallied shard \(scored.shard) into \(out)/") }
    }
}

/// `fairground audit-shard merge PART... --out REPORT`.
struct AuditMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the parts of a sharded audit into its report: the same files as the audit on one machine.",
        discussion: "Exit status: 0 when every policy rule holds (or no policy was given), 1 when a rule is violated with evidence, 2 on bad input.")

    @Argument(help: "Every part directory of the audit ('fairground audit-shard tally').") var parts: [String]
    @Option(help: "The report directory.") var out: String
    @Option(help: "A policy file; the exit status is 1 when a rule is violated with evidence.") var policy: String?
    @Option(help: "A previous report.json for the policy's no_regression rules.") var baseline: String?
    @Option(help: "A baseline from another world, offers or audit configuration: refuse (default) or warn.")
    var baselineMismatch: AuditGate.BaselineMismatch = .refuse
    @Option(help: "What an inconclusive policy rule does: warn (default) or fail (exit status 1).")
    var inconclusive: AuditGate.Inconclusive = .warn
    @Flag(help: "Do not write decisions.csv.") var noDecisions = false
    @OptionGroup var options: ComputeOptions

    func run() throws {
        var gate = AuditGate(configuration: AuditConfiguration(),
                             policy: try policy.map { path throws(FairgroundError) in try Policy.load(path: path) },
                             baseline: try baseline.map { path throws(FairgroundError) in try AuditReport.read(path: path) })
        gate.decisions = !noDecisions
        gate.baselineMismatch = baselineMismatch
        gate.inconclusive = inconclusive
        gate.threads = options.resolvedThreads
        let progress = ProgressLine(label: "merge", total: 1, quiet: options.quiet)
        let outcome = try gate.merge(parts: parts, writingTo: out) { progress.stage($0) }
        progress.finish()
        AuditOptions.summarize(outcome, alpha: outcome.result.report.configuration.alpha, out: out, quiet: options.quiet)
        if !outcome.passed { throw ExitCode(1) }
    }
}
