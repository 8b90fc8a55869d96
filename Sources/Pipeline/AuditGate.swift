public import Audit
import Sharding
import FileSupport
internal import Report

/// The audit's last mile as one call: run the audit on its data, check the policy (against the baseline), write
/// the report files together, and say whether the gate passed — what `fairground audit` and `fairground run` do
/// after the data are built.
///
/// ```swift
/// var gate = AuditGate(configuration: AuditConfiguration())
/// gate.policy = try Policy.load(path: "policy.yaml")
/// let outcome = try gate.run(data, subject: "model.fgm", writingTo: "report")
/// if !outcome.passed { /* exit 1 */ }
/// ```
public struct AuditGate: Sendable {
    /// What the gate decided and wrote.
    public struct Outcome: Sendable {
        /// The audit's result (its report carries the policy outcomes).
        public var result: AuditResult
        /// The files written into the report directory, in writing order.
        public var files: [String]
        /// The rules that fail the gate: violated with evidence, and inconclusive ones under
        /// ``Inconclusive/fail`` (empty when none, or without a policy).
        public var violated: [RuleOutcome]
        /// The inconclusive rules (warnings under ``Inconclusive/warn``).
        public var inconclusive: [RuleOutcome]

        /// Whether the gate passes: no rule fails it (or there is no policy).
        public var passed: Bool { violated.isEmpty }

        /// One line per rule that fails the gate, then one per inconclusive rule that only warns — what a CI log
        /// shows even with `-q`: `policy violated: four-fifths rule: …`.
        public var lines: [String] {
            func detail(_ o: RuleOutcome) -> String {
                let check = o.checks.first { $0.status == o.status } ?? o.checks.first
                return check.map { ": " + ($0.finding.isEmpty ? "" : $0.finding + ": ") + $0.message } ?? ""
            }
            return violated.map { o in
                (o.status == .violated ? "policy violated: " : "policy inconclusive (--inconclusive fail): ")
                    + o.rule.name + detail(o)
            } + inconclusive.filter { o in !violated.contains { $0.rule == o.rule } }.map { o in
                "warning: policy rule inconclusive: " + o.rule.name + detail(o)
            }
        }
    }

    /// What an inconclusive rule does to the gate.
    public enum Inconclusive: String, Sendable, CaseIterable {
        /// It is reported as a warning; the gate passes (the default).
        case warn
        /// It fails the gate, as a violation does.
        case fail
    }

    /// What an inconclusive rule does to the gate.
    public var inconclusive = Inconclusive.warn

    /// The audit's choices.
    public var configuration: AuditConfiguration
    /// The rules to check, if any.
    public var policy: Policy?
    /// A previous report for the policy's `no_regression` rules.
    public var baseline: AuditReport?
    /// What to do when the baseline was computed on another world, offers or audit configuration.
    public enum BaselineMismatch: String, Sendable, CaseIterable {
        /// Refuse it, naming every difference (the default).
        case refuse
        /// Compare anyway, and say so in the report's warnings and in JUnit.
        case warn
    }

    /// What to do with a baseline from another world, offers or audit configuration.
    public var baselineMismatch = BaselineMismatch.refuse
    /// Whether to write `decisions.csv`.
    public var decisions = true
    /// Worker threads; the outputs are identical for every value.
    public var threads = 1

    /// Creates a gate.
    public init(configuration: AuditConfiguration, policy: Policy? = nil, baseline: AuditReport? = nil) {
        self.configuration = configuration
        self.policy = policy
        self.baseline = baseline
    }

    /// Checks what can be checked before any long work: a baseline is only read by `no_regression` rules, so a
    /// baseline without such a rule is refused rather than silently ignored.
    ///
    /// - Throws: ``FairgroundError`` for the parameter `baseline`.
    public func validate() throws(FairgroundError) {
        try configuration.validate()
        if baseline != nil && !(policy?.rules.contains { $0.noRegression == true } ?? false) {
            throw FairgroundError.parameter("baseline", expected: "a policy with a no_regression rule (only those rules "
                                       + "compare with a baseline)", found: policy == nil ? "no policy" : "no such rule")
        }
    }

    /// Refuses a baseline computed on another world, offers or audit configuration: its findings would be compared
    /// with findings that measure something else. (The model may differ: that is what a baseline is for.)
    ///
    /// - Throws: ``FairgroundError`` for the parameter `baseline`, listing every difference.
    public static func check(baseline: AuditReport, against report: AuditReport) throws(FairgroundError) {
        let differences = Self.differences(baseline: baseline, report: report)
        guard differences.isEmpty else {
            throw FairgroundError.parameter("baseline", expected: "a report of the same world and audit configuration",
                                       found: differences.joined(separator: "; "))
        }
    }

    /// What differs between the baseline's world, offers and audit configuration and the report's (empty: the
    /// same). The model is not among them — comparing models is what a baseline is for — but each report records
    /// its model's fingerprint.
    public static func differences(baseline: AuditReport, report: AuditReport) -> [String] {
        var differences: [String] = []
        switch (baseline.world, report.world) {
        case let (old?, new?): differences += new.differences(from: old)
        case (nil, _?): differences.append("the baseline records no world (written before reports recorded it)")
        default: break
        }
        if baseline.offers != report.offers {
            differences.append("offers \(baseline.offers.joined(separator: ", ")) → \(report.offers.joined(separator: ", "))")
        }
        let a = baseline.configuration, b = report.configuration
        if a.targetShare != b.targetShare { differences.append("target share \(a.targetShare) → \(b.targetShare)") }
        if a.k != b.k { differences.append("K \(a.k) → \(b.k)") }
        for offer in report.offers where a.decisionRule(forOffer: offer) != b.decisionRule(forOffer: offer) {
            differences.append("\(offer)'s decision rule \(a.decisionRule(forOffer: offer)) → "
                               + "\(b.decisionRule(forOffer: offer))")
        }
        if a.interest != b.interest { differences.append("interest rule \(a.interest.map { "\($0)" } ?? "default") → "
                                                         + "\(b.interest.map { "\($0)" } ?? "default")") }
        if a.confidenceLevel != b.confidenceLevel {
            differences.append("confidence \(a.confidenceLevel) → \(b.confidenceLevel)")
        }
        if a.flipTolerance != b.flipTolerance {
            differences.append("flip tolerance \(a.flipTolerance) → \(b.flipTolerance)")
        }
        if a.bootstrapReplicates != b.bootstrapReplicates {
            differences.append("bootstrap replicates \(a.bootstrapReplicates) → \(b.bootstrapReplicates)")
        }
        return differences
    }

    /// Audits `data`, evaluates the policy and writes the report into `directory` (all files or none).
    ///
    /// - Parameters:
    ///   - subject: What was audited, for the report's reader.
    ///   - progress: Called with a short description before each stage.
    /// - Throws: ``FairgroundError`` for an inconsistent configuration, data or policy; ``FairgroundError`` when the report
    ///   cannot be written (nothing is left half-written).
    public func run(_ data: AuditData, subject: String, writingTo directory: String,
                    progress: (String) -> Void = { _ in }) throws -> Outcome {
        try validate()
        try policy?.check(before: data, configuration: configuration)
        progress("tests and \(configuration.bootstrapReplicates) bootstrap replicates")
        var result = try FairnessAudit.run(data, configuration: configuration, subject: subject, threads: threads)
        result.report = try judge(result.report)
        progress("writing the report")
        let writer = self.writer
        try writer.write(result, data: data, to: directory)
        return outcome(result, writer)
    }

    /// Merges the parts of a sharded audit (``AuditPart``), evaluates the policy and writes the report into
    /// `directory` (all files or none) — the same files as ``run(_:subject:writingTo:progress:)`` on one machine.
    /// The gate's configuration is the one the parts were computed with.
    ///
    /// - Throws: ``FairgroundError`` for parts of different audits, a missing part, or a policy that does not fit;
    ///   ``FairgroundError`` when the report cannot be written (nothing is left half-written).
    public func merge(parts: [String], writingTo directory: String,
                      progress: (String) -> Void = { _ in }) throws -> Outcome {
        progress("merging \(parts.count) parts")
        let merged = try AuditPart.merge(parts)
        var gate = self
        gate.configuration = merged.configuration
        try gate.validate()
        let report = try gate.judge(merged)
        progress("writing the report")
        let writer = self.writer
        let order = try AuditPart.shardOrder(parts)
        try writer.write(report, decisionsOf: order, to: directory)
        return outcome(AuditResult(report: report, targeted: [], twinTargeted: []), writer)
    }

    var writer: ReportWriter {
        var writer = ReportWriter()
        writer.decisions = decisions
        writer.threads = threads
        return writer
    }

    func outcome(_ result: AuditResult, _ writer: ReportWriter) -> Outcome {
        let outcomes = result.report.policy ?? []
        return Outcome(result: result, files: writer.fileNames,
                       violated: outcomes.filter { $0.status == .violated
                           || ($0.status == .inconclusive && inconclusive == .fail) },
                       inconclusive: outcomes.filter { $0.status == .inconclusive })
    }

    /// The report with the baseline compared (or refused) and the policy's outcomes.
    func judge(_ report: AuditReport) throws(FairgroundError) -> AuditReport {
        var report = report
        if let baseline {
            switch baselineMismatch {
            case .refuse: try Self.check(baseline: baseline, against: report)
            case .warn:
                let differences = Self.differences(baseline: baseline, report: report)
                if !differences.isEmpty {
                    report.warnings = (report.warnings ?? []) + [
                        "the baseline was computed on something else, compared anyway "
                            + "(--baseline-mismatch warn): " + differences.joined(separator: "; ")]
                }
            }
        }
        if let policy {
            report.policy = try policy.evaluate(report, baseline: baseline)
            report = policy.judged(report)
            report.inconclusiveFails = inconclusive == .fail ? true : nil
        }
        return report
    }
}
