@testable import Audit
import FileSupport
import Foundation
@testable import Report
@testable import Statistics
import TestSupport
import Testing

/// `fairground probe`'s report: `probe.json` holds the audit's `inference_auc` findings, `probe.md` and `probe.html`
/// answer first (material probes first, the four verdicts), the page in the audit report's style with one chart of
/// the AUCs, well-formed and escaped, the three files written as one commit.
@Suite struct ProbeReportTests {
    /// One probe of each verdict, and one whose trait is constant among the probed users (undefined), judged as
    /// `TraitInference.run` judges them (Holm over the five, AUC 0.6 material).
    static func findings(attribute: String = "expecting", source: String = "user_factors") -> [Finding] {
        func outcome(_ auc: Double, _ error: Double, _ p: Double) -> InferenceProbe.Outcome {
            InferenceProbe.Outcome(auc: auc, standardError: error, low: auc - 2 * error, high: auc + 2 * error,
                                   pValue: p, positives: 400, negatives: 3600)
        }
        let probes: [(String, InferenceProbe.Outcome?)] = [
            ("inconclusive", outcome(0.56, 0.05, 0.12)),   // not shown, the interval reaches past 0.6
            ("none", outcome(0.51, 0.015, 0.3)),           // not shown, the interval within 0.6
            ("small", outcome(0.55, 0.005, 1e-20)),        // shown, at most 0.6
            ("material", outcome(0.8, 0.01, 1e-20)),       // shown, above 0.6
            ("constant", nil),                             // undefined
        ]
        var findings: [Finding] = [], intervals: [IntervalMethod] = [], tests: [Significance.Outcome] = []
        for (trait, o) in probes {
            let made = Finding.inference(attribute: attribute, trait: trait, source: source, outcome: o, level: 0.95,
                                         minimumGroupSize: 30)
            findings.append(made.finding)
            intervals.append(made.interval)
            tests.append(made.test)
        }
        Finding.conclude(&findings, intervals: intervals, tests: tests, level: 0.95, alpha: 0.05,
                         materiality: { $0.descriptor.materiality })
        return findings
    }

    static func report(_ findings: [Finding] = findings(), world: String = "out/shop",
                       factors: String = "out/model.fgm") -> ProbeReport {
        ProbeReport(context: .init(world: world, factors: factors, probe: InferenceProbe(), alpha: 0.05),
                    findings: findings)
    }

    /// The fixture has the verdicts its traits are named after (so the tests below exercise all four).
    @Test func theFixtureHasEveryVerdict() {
        for f in Self.findings() {
            #expect(f.verdict.rawValue == (f.trait == "constant" ? "inconclusive" : f.trait), "\(f.trait!): \(f.reason)")
            #expect(f.metric == .inferenceAUC && f.id == "privacy/expecting/inference_auc/\(f.trait!)/user_factors")
        }
    }

    /// The answer first: the run in one sentence, then material probes, small ones ("only slightly"), those with
    /// no material inference, the inconclusive ones (the undefined one with its reason); then the table with every
    /// verdict.
    @Test func theMarkdownListsMaterialProbesFirst() throws {
        let md = Self.report().markdown()
        #expect(md.hasPrefix("# What the user factors and the data reveal\n\n1 of 5 probes find a trait "
                             + "**materially predictable** (an AUC above 0.6). Verdicts: 1 material, 1 small, 1 none, "
                             + "2 inconclusive.\n\n- **expecting = material can be predicted from the user factors**: "
                             + "AUC 0.8"), "\(md.prefix(400))")
        let bullets = md.split(separator: "\n").filter { $0.hasPrefix("- ") }
        #expect(bullets.count == 4, "\(bullets)")
        #expect(bullets[1].hasPrefix("- expecting = small can be predicted from the user factors, **but only slightly**: AUC 0.55"))
        #expect(bullets[1].contains("small: above chance, but at most 0.6"))
        #expect(bullets[2].hasPrefix("- **No material inference**: expecting = none from the user factors (AUC 0.51"))
        #expect(bullets[3].hasPrefix("- **Inconclusive**: expecting = inconclusive from the user factors (AUC 0.56")
                && bullets[3].contains("expecting = constant from the user factors (undefined: every probed user has "
                                       + "the same value of the trait)"), "\(bullets[3])")
        let table = try #require(md.range(of: "| attribute | trait | source | AUC | 95% interval | p | Holm p | with / without | verdict |"))
        #expect(md.range(of: "- **expecting")!.lowerBound < table.lowerBound)
        for verdict in ["material", "small", "none", "inconclusive"] {
            #expect(md[table.upperBound...].contains(" | \(verdict) |\n"), "\(verdict)")
        }
        #expect(md.contains("| expecting | material | user_factors | 0.8 | [0.7"))
        #expect(md.contains("| 400 / 3600 | material |"))
        // Nothing material: said first.
        let quiet = Self.report(Self.findings().filter { $0.verdict != .material }).markdown()
        #expect(quiet.contains("reveal\n\nNo trait is materially predictable from any source (an AUC above 0.6 would be material)."))
    }

    /// `probe.html`: well-formed, in the report's style, the answer before the legend, the chart (bars coloured by
    /// verdict, reference lines at chance and the threshold, a labelled axis) and the table (in a scrolling box).
    @Test func thePageAnswersFirstThenChartsThenTabulates() throws {
        let html = Self.report().html()
        #expect(HTMLReportTests.problems(html) == [])
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">") && html.hasSuffix("</body>\n</html>\n"))
        #expect(html.contains(HTMLReport.style) && html.contains("<meta name=\"viewport\""))
        func position(_ s: String) throws -> String.Index { try #require(html.range(of: s), "\(s)").lowerBound }
        let answer = try position("<section class=\"answer\">")
        let material = try position("<li><strong>expecting = material can be predicted from the user factors</strong>: AUC 0.8")
        let legend = try position(HTMLReport.legend(level: "95%"))
        let chart = try position("<figure class=\"chart\">")
        let table = try position("<div class=\"scroll\"><table>")
        #expect(answer < material && material < legend && legend < chart && chart < table)
        #expect(html.contains("<p class=\"overall\">1 of 5 probes find a trait <strong>materially predictable</strong>"))
        // One bar per defined probe, coloured by its verdict.
        for (trait, style) in [("material", "v-material"), ("small", "v-small"), ("none", "v-none"),
                               ("inconclusive", "v-inconclusive")] {
            #expect(html.contains("class=\"\(style)\"><title>expecting = \(trait) from user factors: "), "\(trait)")
        }
        #expect(html.contains(">expecting = constant from user factors: undefined</text>"))
        #expect(html.contains("class=\"reflabel\">chance</text>") && html.contains("class=\"reflabel\">material</text>"))
        #expect(html.contains("AUC of a cross-fitted probe predicting the trait"))
        #expect(html.contains("<td class=\"verdict v-small\">small</td>"))
    }

    /// Every name that reaches the page — world, factors, attribute, trait, source — comes out as text.
    @Test func nothingFromTheProbeIsUnescaped() {
        let hostile = "<script>alert('x&y')</script>"
        var findings = Self.findings(attribute: hostile, source: hostile)
        findings[0].trait = hostile
        let html = Self.report(findings, world: hostile, factors: hostile).html()
        #expect(HTMLReportTests.problems(html) == [])
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;alert(&apos;x&amp;y&apos;)"))
    }

    /// The three files are one commit; `probe.json` is format 2, its findings the audit's shape.
    @Test func writesJSONMarkdownAndPageInOneCommit() throws {
        let directory = temporaryPath("probe-report")
        try Self.report().write(to: directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["probe.html", "probe.json", "probe.md"], "\(names)")
        let json = try String(contentsOfFile: directory + "/probe.json", encoding: .utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "fairground-probe" && document["format_version"] as? Int == 2)
        #expect((document["context"] as? [String: Any])?["materiality"] as? Double == 0.6)
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.count == 5)
        #expect(findings.allSatisfy { $0["metric"] as? String == "inference_auc" && $0["verdict"] != nil
            && $0["reveals"] == nil && $0["outcome"] == nil })
        #expect(try String(contentsOfFile: directory + "/probe.html", encoding: .utf8) == Self.report().html())
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Reference labels that would overlap (chance 0.5 and material 0.6 on an axis of AUCs) go on rows of their
    /// own; labels far apart share the first.
    @Test func closeReferenceLabelsDoNotOverlap() {
        #expect(HTMLReport.labelRows([(170, 6), (202.8, 8)]) == [0, 1])
        #expect(HTMLReport.labelRows([(60, 6), (250, 8)]) == [0, 0])
        #expect(HTMLReport.labelRows([(202.8, 8), (170, 6), (180, 4)]) == [2, 0, 1])
        #expect(HTMLReport.labelRows([]) == [])
    }
}
