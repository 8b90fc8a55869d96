import FileSupport
import ArgumentParser
import Audit
import AuditSubjects
import Sharding
import Recommender
import Pipeline
import Privacy
import Report

/// Options of an audit, shared by `audit` and `run`.
struct AuditOptions: ParsableArguments {
    @Option(help: "Top-K list length.") var k = 10
    @Option(help: "Share of users each offer's campaign targets (top q by score).") var targetShare = 0.1
    @Option(help: "Truly interested: the top share by true interest (default: the target share).")
    var interestShare: Double?
    @Option(help: "Truly interested: true interest at least this value (instead of a top share).")
    var interestThreshold: Double?
    @Option(help: "Groups and intersectional cells below this size are flagged and left out of tests.")
    var minGroupSize = 30
    @Option(help: "Bootstrap replicates (the intervals of the attribution increments).") var bootstrap = 200
    @Option(help: ArgumentHelp("Share of twins whose decision may differ before the flip-rate test finds a disparity.",
                               discussion: "0 (the default): any flip is evidence.")) var flipTolerance = 0.0
    @Option(help: "Family-wise error rate of the audit's tests (Holm).") var alpha = 0.05
    @Option(help: "Confidence level of the intervals.") var confidence = 0.95
    @Option(help: "Seed of the bootstrap and of tie-breaking.") var auditSeed: UInt64 = 0
    @Option(help: "A privileged level attribute=level (repeatable) for AIF360's directional values.")
    var privileged: [Assignment] = []
    @Option(help: "A policy file; the exit status is 1 when a rule is violated with evidence.") var policy: String?
    @Option(help: "A previous report.json for the policy's no_regression rules.") var baseline: String?
    @Option(help: "A baseline from another world, offers or audit configuration: refuse (default) or warn (compare, and say so in the report and JUnit).")
    var baselineMismatch: AuditGate.BaselineMismatch = .refuse
    @Option(help: "A metric to report besides the defaults (repeatable): equalized_odds_ratio, equal_opportunity_ratio, demographic_parity_difference_to_overall, demographic_parity_ratio_to_overall.")
    var metric: [MetricID] = []
    @Option(help: ArgumentHelp("Target every user whose score for OFFER is at least T (repeatable): the decision rule you really run. The share targeted then follows from the scores; twins are judged against the same threshold.", valueName: "offer=T"))
    var scoreThreshold: [OfferValue] = []
    @Option(help: ArgumentHelp("Target the N users with the highest scores for OFFER (repeatable).", valueName: "offer=N"))
    var budget: [OfferValue] = []
    @Flag(help: "Do not write decisions.csv.") var noDecisions = false
    @Option(help: ArgumentHelp("A materiality threshold for METRIC (repeatable), on its scale: the lowest rate ratio that is not material for the campaign's rate metrics (default 0.8: the four-fifths band 0.8–1.25), the largest difference for the others (e.g. ndcg_difference 0.05, counterfactual_flip_rate 0.02), the largest AUC for inference_auc and membership_auc (0.6), the largest ε the attack may prove for empirical_epsilon (1).", valueName: "metric=value"))
    var material: [OfferValue] = []
    @Option(help: "What an inconclusive policy rule does: warn (default: a warning on standard error and in junit.xml; the gate passes) or fail (exit status 1, as a violation).")
    var inconclusive: AuditGate.Inconclusive = .warn

    func configuration() throws(FairgroundError) -> AuditConfiguration {
        var c = AuditConfiguration()
        c.k = k
        c.targetShare = targetShare
        if interestShare != nil && interestThreshold != nil {
            throw FairgroundError(file: "--interest-share/--interest-threshold", expected: "one of them, not both")
        }
        if let interestShare { c.interest = .topShare(interestShare) }
        if let interestThreshold { c.interest = .threshold(interestThreshold) }
        c.minimumGroupSize = minGroupSize
        c.bootstrapReplicates = bootstrap
        c.flipTolerance = flipTolerance
        c.alpha = alpha
        c.confidenceLevel = confidence
        c.seed = auditSeed
        if !metric.isEmpty { c.metrics = metric }
        var rules: [OfferRule] = scoreThreshold.map { OfferRule(offer: $0.offer, rule: .scoreThreshold(Float($0.value))) }
        for entry in budget {
            guard let users = Int(exactly: entry.value) else {
                throw FairgroundError(file: "--budget", field: entry.offer, expected: "a whole number of users",
                                 found: "\(entry.value)")
            }
            rules.append(OfferRule(offer: entry.offer, rule: .budget(users)))
        }
        if !rules.isEmpty { c.decisionRules = rules }
        var thresholds: [AuditConfiguration.MaterialityOverride] = []
        for entry in material {
            guard let metric = MetricID(rawValue: entry.offer) else {
                throw FairgroundError(file: "--material", field: entry.offer,
                                      expected: "a metric: " + MetricID.allCases.map(\.name).joined(separator: ", "))
            }
            thresholds.append(.init(metric: metric, threshold: entry.value))
        }
        if !thresholds.isEmpty { c.materiality = thresholds }
        try c.validate()
        return c
    }

    func privilegedLevels() throws(FairgroundError) -> [String: String] {
        var result: [String: String] = [:]
        for entry in privileged {
            guard result.updateValue(entry.level, forKey: entry.attribute) == nil else {
                throw FairgroundError(file: "--privileged", field: entry.attribute, expected: "one privileged level per attribute")
            }
        }
        return result
    }

    /// The checked configuration, policy and baseline as a gate — read before any long work, so bad input fails
    /// fast; `nonMembers`: whether the run attacks the model with a non-member world (`audit --non-members`).
    func gate(threads: Int, nonMembers: Bool = false) throws(FairgroundError) -> AuditGate {
        var gate = AuditGate(configuration: try configuration(),
                             policy: try policy.map { path throws(FairgroundError) in try Policy.load(path: path) },
                             baseline: try baseline.map { path throws(FairgroundError) in try AuditReport.read(path: path) })
        gate.decisions = !noDecisions
        gate.baselineMismatch = baselineMismatch
        gate.inconclusive = inconclusive
        gate.threads = threads
        try gate.validate()
        // Rules the settings cannot serve are refused now, not after the audit ran.
        try gate.policy?.check(configuration: gate.configuration, privileged: try privilegedLevels(),
                               nonMembers: nonMembers)
        return gate
    }

    /// Prints the rules that fail the gate and the inconclusive ones on standard error (even when quiet), and what
    /// the gate found on standard output (unless quiet).
    static func summarize(_ outcome: AuditGate.Outcome, alpha: Double, out: String, quiet: Bool) {
        for line in outcome.lines { writeStandardError(line + "\n") }
        guard !quiet else { return }
        let report = outcome.result.report
        let material = report.materialFindings
        print("\(report.verdictCounts) among \(report.findings.count) findings "
              + "(Holm over \(report.tests) tests at α = \(alpha); material: beyond the metric's threshold)")
        for f in material.prefix(8) {
            print("  material: \(f.id): \(FindingText.value(f.estimate.value)) \(FindingText.interval(f.estimate))")
        }
        if material.count > 8 { print("  … and \(material.count - 8) more in report.md") }
        if let outcomes = report.policy {
            for o in outcomes { print("policy: \(o.rule.name): \(o.status.rawValue)") }
        }
        print("wrote \(out)/: " + outcome.files.joined(separator: ", "))
    }
}

/// `fairground audit DIR --model MODEL --out REPORT` (or `--scores CSV`, or `--shard I/N --out SHARD`): the audit
/// of a generated world on one machine, or the first step of a sharded audit (the others: ``AuditShardCommand``).
/// It has no subcommands, so DIR may bear any name (`demo-output/world`, `merge`).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a model (or external scores) on a generated world: disparities, counterfactual twins, policy.",
        usage: """
            fairground audit <directory> --model <model> --out <report> [<options>]
            fairground audit <directory> --scores <csv> --out <report> [<options>]
            fairground audit <directory> --model <model> --shard <i/n> --out <shard> [<options>]
            """,
        discussion: """
            With --model, every protected attribute and level gets an exact twin world (regenerated with the same \
            exogenous noise) whose interactions are folded into the fixed model. With --scores, an external \
            model's CSV (user_id,offer,score) is audited; --twin-scores attribute=level=FILE adds the same model's \
            scores on a directory made with 'fairground counterfactual'. Exit status: 0 when every policy rule \
            holds (or no policy was given), 1 when a rule is violated with evidence, 2 on bad input.

            A sharded audit gives the same report in four steps: 'fairground audit DIR --model MODEL --shard I/N \
            --out SHARD' for each I (scores shard I), then 'fairground audit-shard cutoffs', 'audit-shard tally' \
            for each shard and 'audit-shard merge' (see 'fairground audit-shard --help').
            """)

    @Argument(help: "A directory written by 'fairground generate' (the factual world).")
    var directory: String

    @Option(help: "A model file written by 'fairground train'.") var model: String?
    @Option(help: "A configuration file (as 'fairground tune' writes) whose λ, α and convention fold the users in, instead of the model's own.")
    var config: String?
    @Option(help: "External scores: a CSV user_id,offer,score for the factual world.") var scores: String?
    @Option(help: "External twin scores attribute=level=FILE (repeatable).") var twinScores: [AssignedFile] = []
    @Option(help: "External naive-flip scores attribute=level=FILE (repeatable).") var naiveScores: [AssignedFile] = []
    @Option(help: "A mediator held at its factual value in additional path-specific twins (repeatable).")
    var keep: [String] = []
    @Flag(help: "Leave out the naive attribute flip.") var noNaive = false
    @Option(help: "The privacy view (consent, what opting out costs, inference probes): auto adds it when the spec declares a consent attribute or sensitive attributes or categories; on probes the protected attributes of any world.")
    var privacy: PrivacyMode = .auto
    @Option(help: ArgumentHelp("Attack the model: a generated world of the same spec and seed whose users the model never saw (e.g. 'fairground generate SPEC --first-user N' past DIR's users). The privacy view gains membership_auc and empirical_epsilon (see 'fairground attack membership').", discussion: "The attack's AUC test joins the audit's Holm family, so every other Holm-adjusted p-value moves slightly.", valueName: "directory"))
    var nonMembers: String?
    @Option(help: "With --non-members: what the attacker observes, factors (item factors and fold-in rule) or lists (the top-K lists served, K = --k).")
    var attackVariant: MembershipAttack.Variant?
    @Option(help: "Score shard I of N (whole blocks of \(AuditShard.block) user ids) into --out, the first step of a sharded audit ('fairground audit-shard cutoffs' is the next).")
    var shard: String?
    @Option(help: "With --shard: the world's users are ids 0..<N, generated in shards with --first-user; DIR is the generated shard holding this audit shard's users (default: DIR's users).")
    var worldUsers: Int?
    @Option(help: "The report directory (with --shard: the scored shard's directory).") var out: String
    @OptionGroup var audit: AuditOptions
    @OptionGroup var options: ComputeOptions

    func validate() throws {
        if (model == nil) == (scores == nil) { throw FairgroundError(file: "--model/--scores", expected: "exactly one of --model and --scores") }
        if model != nil && !(twinScores.isEmpty && naiveScores.isEmpty) {
            throw FairgroundError(file: "--twin-scores/--naive-scores", expected: "--scores beside them")
        }
        if scores != nil && !keep.isEmpty { throw FairgroundError(file: "--keep", expected: "--model beside it") }
        if scores != nil && config != nil { throw FairgroundError(file: "--config", expected: "--model beside it") }
        if shard != nil && scores != nil { throw FairgroundError(file: "--shard", expected: "--model beside it") }
        if worldUsers != nil && shard == nil { throw FairgroundError(file: "--world-users", expected: "--shard beside it") }
        if nonMembers != nil && scores != nil {
            throw FairgroundError(file: "--non-members", expected: "--model beside it: a score file has no item factors "
                                      + "to fold users in with and serves no lists, so there is nothing to attack")
        }
        if nonMembers != nil && shard != nil {
            throw FairgroundError(file: "--non-members", expected: "no --shard beside it (the attack needs every member; "
                                      + "run it with 'fairground attack membership')")
        }
        if nonMembers != nil && privacy == .off {
            throw FairgroundError(file: "--non-members", expected: "the privacy view, which the attack joins "
                                      + "(not --privacy off)")
        }
        if attackVariant != nil && nonMembers == nil {
            throw FairgroundError(file: "--attack-variant", expected: "--non-members beside it")
        }
        if shard != nil && (audit.policy != nil || audit.baseline != nil) {
            throw FairgroundError(file: "--policy/--baseline", expected: "no policy or baseline with --shard (give them to 'fairground audit-shard merge')")
        }
    }

    static func twins(_ entries: [AssignedFile], kind: CounterfactualWorld.Kind) -> [ScoreAudit.Twin] {
        entries.map { ScoreAudit.Twin(assignment: $0.assignment, kind: kind, path: $0.path) }
    }

    func run() throws {
        let threads = options.resolvedThreads
        let gate = try audit.gate(threads: threads, nonMembers: nonMembers != nil)
        let privileged = try audit.privilegedLevels()
        let data: AuditData
        let subject: String
        let progress = ProgressLine(label: "audit", total: 1, quiet: options.quiet)
        if let model {
            let factors = try FactorModel.read(path: model)
            var rule = factors.configuration.foldInRule
            if let config {
                let c = try ALSConfiguration.read(path: config)
                guard c.factors == factors.factors else {
                    throw FairgroundError(file: config, field: "factors", expected: "the \(factors.factors) factors of \(model)",
                                     found: "\(c.factors)")
                }
                rule = c.foldInRule
            }
            var audit = try ModelAudit(directory: directory, auditing: FoldedInFactorModel(factors, rule: rule))
            audit.k = self.audit.k
            audit.keep = keep
            audit.naive = !noNaive
            audit.privileged = privileged
            audit.privacy = privacy
            if let nonMembers {
                var attack = MembershipAudit(nonMembers: nonMembers, model: factors, modelFile: model)
                attack.variant = attackVariant ?? .factors
                attack.listLength = self.audit.k
                attack.seed = gate.configuration.seed
                attack.level = gate.configuration.confidenceLevel
                audit.membership = attack
            }
            // Rules this run cannot serve are refused before the twins are built and scored.
            var kinds: Set<CounterfactualWorld.Kind> = [.total]
            if !noNaive { kinds.insert(.naive) }
            if !keep.isEmpty { kinds.insert(.pathSpecific) }
            try gate.policy?.check(
                configuration: gate.configuration, privileged: privileged,
                unavailable: privacy.applies(to: audit.directory.spec) ? [:]
                    : [.privacy: privacy == .off ? "--privacy off" : "its world declares no consent or sensitive "
                        + "trait (--privacy on probes the protected attributes)"],
                worlds: kinds, nonMembers: nonMembers != nil)
            if let shard {
                let part = try AuditShard(parsing: shard)
                let world = worldUsers.map { 0..<max(0, $0) } ?? audit.directory.users
                audit.users = try part.users(of: world)
                let data = try audit.data(threads: threads) { progress.stage($0) }
                progress.stage("sorting the shard's rankings")
                let scored = try ScoredShard(shard: part, data: data, world: world,
                                             configuration: gate.configuration, subject: model, threads: threads)
                try scored.write(to: out)
                progress.finish()
                if !options.quiet { print("scored shard \(part) (users \(audit.users!)) into \(out)/") }
                return
            }
            data = try audit.data(threads: threads) { progress.stage($0) }
            subject = model
        } else {
            var audit = try ScoreAudit(directory: directory)
            audit.privileged = privileged
            let twins = Self.twins(twinScores, kind: .total) + Self.twins(naiveScores, kind: .naive)
            progress.stage("reading scores")
            data = try audit.data(scores: scores!, twins: twins, threads: threads)
            subject = scores!
        }
        let outcome = try gate.run(data, subject: subject, writingTo: out) { progress.stage($0) }
        progress.finish()
        AuditOptions.summarize(outcome, alpha: gate.configuration.alpha, out: out, quiet: options.quiet)
        if !outcome.passed { throw ExitCode(1) }
    }
}
