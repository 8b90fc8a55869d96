import FileSupport
#if canImport(Glibc)
internal import Glibc
#endif

/// The result of an audit: the report, and every user's decisions (for `decisions.csv`).
public struct AuditResult: Sendable {
    /// What was found.
    public var report: AuditReport
    /// Campaign targeting per user and offer (`users × offers`), factual world.
    public var targeted: [Bool]
    /// Campaign targeting of each user's twin, one `users × offers` table per counterfactual world.
    public var twinTargeted: [[Bool]]

    /// A result (a merged sharded audit's holds no per-user decisions: they stay in its parts).
    public init(report: AuditReport, targeted: [Bool], twinTargeted: [[Bool]]) {
        self.report = report
        self.targeted = targeted
        self.twinTargeted = twinTargeted
    }
}

/// Runs fairness audits: the campaign and recommendation views, gap attribution, counterfactual tests, their
/// confidence intervals and Holm-corrected tests.
///
/// ```swift
/// let data = try ModelAudit(directory: "out/world", model: model).data(threads: 2)
/// let result = try FairnessAudit.run(data, configuration: AuditConfiguration())
/// #expect(result.report.materialFindings.isEmpty)
/// ```
public enum FairnessAudit {
    /// Audits `data`.
    ///
    /// - Parameters:
    ///   - subject: What was audited, for the report's reader.
    ///   - threads: Worker threads for the bootstrap; results are identical for every value.
    /// - Throws: ``FairgroundError`` when the configuration or the data are inconsistent.
    public static func run(_ data: AuditData, configuration: AuditConfiguration, subject: String = "",
                           threads: Int = 1) throws(FairgroundError) -> AuditResult {
        try configuration.validate()
        try data.validate()
        try configuration.checkDecisionRules(offers: data.offers, attributes: data.attributes)
        return try AuditEngine(data: data, configuration: configuration, threads: threads).run(subject: subject)
    }
}
