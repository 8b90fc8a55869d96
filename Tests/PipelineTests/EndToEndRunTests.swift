import Audit
import FileSupport
import Pipeline
import Population
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The end-to-end run and the audit gate as library calls (what `fairground run` and `audit` wire).
@Suite(.serialized) struct EndToEndRunTests {
    func run(policy: String? = nil) throws -> EndToEndRun.Outcome {
        var spec = try PopulationSpec.load(path: repositoryRoot + "/datasets/credit-offers.yaml")
        spec.users = 1500
        var configuration = AuditConfiguration()
        configuration.bootstrapReplicates = 20
        var gate = AuditGate(configuration: configuration)
        gate.policy = try policy.map { try Policy.parse($0, file: "policy.yaml") }
        var pipeline = EndToEndRun(spec: spec, gate: gate)
        pipeline.training.factors = 8
        pipeline.training.iterations = 3
        pipeline.threads = 2
        return try pipeline.run(out: temporaryPath("pipeline-\(policy == nil ? "plain" : "gated")", suite: "pipeline"))
    }

    @Test func runWritesWorldModelAndReport() throws {
        let outcome = try run()
        for file in ["/world/manifest.json", "/world/interactions.mtx", "/model.fgm", "/report/report.json",
                     "/report/report.html", "/report/decisions.csv"] {
            let root = String(outcome.worldDirectory.dropLast("/world".count))
            let path = root + file
            #expect(access(path, F_OK) == 0, "\(path)")
        }
        #expect(outcome.gate.passed && outcome.gate.violated.isEmpty)
        #expect(outcome.gate.files.first == "report.json")
        #expect(outcome.model.items == outcome.world.items?.count)
        #expect(outcome.gate.result.report.users == 1500)
    }

    /// A bound no audit can meet fails the gate with evidence; the report is still written.
    /// Reproduces the issue: `--baseline` without a policy was ignored without a word.
    @Test func aBaselineWithoutANoRegressionRuleIsRefused() throws {
        let baseline = try run().gate.result.report
        let bounded = try Policy.parse("version: 1\nrules:\n  - {name: r, metric: demographic_parity_ratio, at_least: 0.5}\n",
                                       file: "p.yaml")
        for policy in [nil, bounded] {
            let gate = AuditGate(configuration: AuditConfiguration(), policy: policy, baseline: baseline)
            #expect(throws: FairgroundError.self) { try gate.validate() }
        }
        let regression = try Policy.parse("version: 1\nrules:\n  - {name: r, metric: demographic_parity_difference, no_regression: true}\n",
                                          file: "p.yaml")
        try AuditGate(configuration: AuditConfiguration(), policy: regression, baseline: baseline).validate()
    }

    /// Reproduces the issue: a baseline from another world, or from the same model audited with another
    /// `--target-share`, was compared without a word. Reports record their world; the gate refuses a mismatch and
    /// says what differs.
    @Test func aBaselineFromAnotherWorldOrConfigurationIsRefused() throws {
        let report = try run().gate.result.report
        let world = try #require(report.world)
        #expect(world.name == "credit-offers" && world.users == 1500 && world.seed == 7 && world.specDigest.count == 16)
        try AuditGate.check(baseline: report, against: report)
        var otherSeed = report
        otherSeed.world?.seed = 8
        var otherShare = report
        otherShare.configuration.targetShare = 0.2
        var unrecorded = report
        unrecorded.world = nil
        for (baseline, phrase) in [(otherSeed, "seed 8 → 7"), (otherShare, "target share 0.2 → 0.1"),
                                   (unrecorded, "records no world")] {
            do {
                try AuditGate.check(baseline: baseline, against: report)
                Issue.record("accepted a baseline with \(phrase)")
            } catch {
                #expect(error.source == "baseline" && error.description.contains(phrase), "\(error)")
            }
        }
        // The written report.json carries the world, so a baseline read back from disk is checked too.
        let written = try AuditReport.read(path: temporaryPath("pipeline-plain", suite: "pipeline") + "/report/report.json")
        #expect(written.world == world)
    }

    @Test func aViolatedPolicyFailsTheGate() throws {
        let outcome = try run(policy: """
            version: 1
            rules:
              - {name: impossible, metric: demographic_parity_difference, at_most: -1}
            """)
        #expect(!outcome.gate.passed)
        #expect(outcome.gate.violated.map(\.rule.name) == ["impossible"])
        #expect(access(outcome.reportDirectory + "/junit.xml", F_OK) == 0)
    }
}
