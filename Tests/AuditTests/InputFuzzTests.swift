import Foundation
import Testing
import TestSupport
@testable import Audit
@testable import AuditSubjects
import Pipeline
import FileSupport

/// The mutation fuzzer over the policy and score-file readers (issue 12, point 6): every mutated input is read or
/// refused with an ``FairgroundError`` naming the file — never a crash or a hang; fixed seed and budget. Policy refusals
/// of malformed YAML give their line (the issue saw 729 of 780 say only "not valid YAML").
@Suite struct InputFuzzTests {
    static let policy = """
        version: 1
        rules:
          - {name: parity, metric: demographic_parity_difference, at_most: 0.05, offers: [credit], attributes: [gender]}
          - name: ratio
            metric: disparate_impact_ratio
            at_least: 0.8
            evidence: per_finding
          - {name: no regression, metric: demographic_parity_difference, no_regression: true}
        """

    @Test func mutatedPoliciesAreReadOrRefused() {
        let mutator = Mutator(extra: ["at_least: ", "metric: ", "rules:", "- ", "evidence: point", "no_regression: "])
        var rng = TestLCG(seed: 31)
        var read = 0, refused = 0, syntax = 0, syntaxWithLine = 0
        let clock = ContinuousClock()
        for _ in 0..<1_000 {
            let text = String(decoding: mutator.mutate(Array(Self.policy.utf8), &rng), as: UTF8.self)
            let start = clock.now
            do {
                let policy = try Policy.parse(text, file: "fuzz.yaml")
                // What is read is a policy the gate can apply: rules with a bound or a baseline, bounds finite and
                // in order.
                #expect(!policy.rules.isEmpty)
                for rule in policy.rules {
                    #expect(rule.atLeast != nil || rule.atMost != nil || rule.noRegression == true, "\(text)")
                    #expect([rule.atLeast, rule.atMost].allSatisfy { $0?.isFinite ?? true }, "\(text)")
                    if let low = rule.atLeast, let high = rule.atMost { #expect(low <= high, "\(text)") }
                }
                read += 1
            } catch {
                #expect(error.description.hasPrefix("fuzz.yaml"), "\(error)")
                if error.expected.contains("valid YAML") {
                    syntax += 1
                    if error.line != nil { syntaxWithLine += 1 }
                }
                refused += 1
            }
            #expect(clock.now - start < .seconds(5), "a hang on:\n\(text)")
        }
        print("policy fuzz: 1000 mutated policies, \(read) read, \(refused) refused (\(syntax) malformed YAML, "
              + "\(syntaxWithLine) of them with a line)")
        #expect(read > 20 && refused > 500, "\(read) read, \(refused) refused")
        #expect(syntax > 50 && syntaxWithLine == syntax, "\(syntaxWithLine) of \(syntax) syntax errors give a line")
    }

    @Test func mutatedScoreFilesAreReadOrRefused() throws {
        var seed = "user_id,offer,score\n"
        for u in 0..<6 { seed += "\(u),a,\(Double(u) * 0.5)\n\(u),b,\(1 - Double(u) * 0.1)\n" }
        var rng = TestLCG(seed: 41)
        var read = 0, refused = 0
        let path = temporaryPath("fuzz-scores.csv")
        let clock = ContinuousClock()
        for trial in 0..<500 {
            let bytes = trial % 2 == 0 ? Mutator().mutate(Array(seed.utf8), &rng)
                : Mutator().replaceNumbers(Array(seed.utf8), &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let start = clock.now
            do {
                let scores = try ScoreAudit.read(path: path, users: 0..<6, offers: ["a", "b"])
                #expect(scores.count == 12 && scores.allSatisfy { $0.isFinite })
                read += 1
            } catch {
                #expect(error.description.hasPrefix(path), "\(error)")
                refused += 1
            }
            #expect(clock.now - start < .seconds(5), "a hang")
        }
        print("score fuzz: 500 mutated score files, \(read) read, \(refused) refused")
        #expect(read > 20 && refused > 200, "\(read) read, \(refused) refused")
    }
}
