@testable import Audit
@testable import Report
import Testing

/// `report.html`: well-formed (every tag closed in order), nothing from the audit's text unescaped, charts on
/// labelled axes.
@Suite struct HTMLReportTests {
    typealias F = ReportFixture

    /// The problems of `html` as markup: a tag closed out of order or never, a bare `&`, an unquoted attribute.
    static func problems(_ html: String) -> [String] {
        let void: Set = ["meta", "br", "hr", "img", "input", "link"]
        var stack: [String] = [], problems: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(where: { $0 == "<" || $0 == "&" }) {
            if rest[open] == "&" {
                let entity = rest[open...].prefix { $0 != ";" && $0 != " " && $0 != "<" }
                if !["&amp", "&lt", "&gt", "&quot", "&apos"].contains(String(entity)) {
                    problems.append("bare & at \(entity.prefix(20))")
                }
                rest = rest[rest.index(after: open)...]
                continue
            }
            guard let close = rest[open...].firstIndex(of: ">") else { problems.append("unclosed <"); break }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("!") { continue }
            let name = String(tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }).lowercased()
            if name.isEmpty { problems.append("not a tag: <\(tag)>"); continue }
            if tag.split(separator: "\"", omittingEmptySubsequences: false).count % 2 == 0 {
                problems.append("unbalanced quotes in <\(tag)>")
            }
            if tag.hasPrefix("/") {
                if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes \(stack.last ?? "nothing")") }
            } else if !tag.hasSuffix("/") && !void.contains(name) {
                stack.append(name)
            }
        }
        return problems + stack.map { "<\($0)> never closed" }
    }

    func report() -> AuditReport {
        var r = F.report(findings: [F.gap(.material), F.finding(.demographicParityRatio, value: 0.4, verdict: .material),
                                    F.finding(.counterfactualFlipRate, world: "do(gender=m)", value: 0.05,
                                              verdict: .material, test: .binomial)],
                         attribution: [F.attribution], counterfactuals: [F.world()],
                         policy: [F.outcome("gap", .violated, checks: [.init(finding: "x", status: .violated, message: "m")])])
        r.model = ModelCard(kind: "implicit ALS", parameters: [.init("factors", "8")])
        r.warnings = ["baseline differs"]
        return r
    }

    @Test func theReportIsWellFormed() {
        let html = HTMLReport(report()).render()
        #expect(Self.problems(html) == [])
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">") && html.hasSuffix("</body>\n</html>\n"))
        // The checker itself catches what it is for.
        #expect(Self.problems("<p><b>x</p></b>") == ["</p> closes b", "<p> never closed"])
        #expect(Self.problems("<p>a & b</p>") == ["bare & at &"])
        #expect(Self.problems("<p class=\"a>b</p>") == ["unbalanced quotes in <p class=\"a>"])
    }

    /// Markup-like text anywhere the audit supplies text — subject, offers, attributes, groups, reasons, rule
    /// names, warnings, the model card — comes out as text.
    @Test func nothingFromTheAuditIsUnescaped() {
        let hostile = "<script>alert('x&y')</script>"
        var r = report()
        r.subject = hostile
        r.offers = ["loan", hostile]
        r.attributes[0].name = hostile
        r.warnings = [hostile]
        r.model?.kind = hostile
        r.policy?[0].rule.name = hostile
        r.policy?[0].checks[0].message = hostile
        for i in r.findings.indices {
            r.findings[i].attribute = hostile
            r.findings[i].reason = hostile
            for g in r.findings[i].groups.indices { r.findings[i].groups[g].group = "**\(hostile)**" }
        }
        var second = r.findings[0]
        second.offer = hostile
        r.findings.append(second)
        r.attribution[0].offer = hostile
        r.counterfactuals[0].world = hostile
        let html = HTMLReport(r).render()
        #expect(!html.contains("<script") && !html.contains("alert('"))
        #expect(html.contains("&lt;script&gt;alert(&apos;x&amp;y&apos;)&lt;/script&gt;"))
        #expect(Self.problems(html) == [])
    }

    /// Every chart is a figure with a caption, ticks and an axis label; each metric's charts name their unit; one
    /// colour legend (the four verdicts and context) serves every chart, and every bar's colour is one of it.
    @Test func everyChartHasALabelledAxisAndTheSharedLegend() {
        let html = HTMLReport(report()).render()
        let charts = html.components(separatedBy: "<figure class=\"chart\">").dropFirst()
        #expect(charts.count == 4)  // selection rate, parity ratio, flips, attribution
        for chart in charts {
            #expect(chart.contains("<figcaption>") && chart.contains("class=\"axislabel\""))
            #expect(chart.components(separatedBy: "class=\"tick\"").count - 1 >= 2)
            let bars = chart.components(separatedBy: "<rect ").dropFirst()
            #expect(!bars.isEmpty)
            for bar in bars {
                #expect(["v-material", "v-small", "v-none", "v-inconclusive", "v-context"]
                    .contains { bar.contains("class=\"\($0)\"") }, "\(bar.prefix(80))")
            }
        }
        #expect(html.components(separatedBy: "<p class=\"legend\">Colours in every chart:").count == 2)
        for key in ["material gap", "small gap", "no material gap", "inconclusive", "context (not a test)"] {
            #expect(html.contains("</svg> \(key)</span>"), "\(key)")
        }
        for label in ["selection rate: share of the group targeted", "demographic parity ratio: lowest group rate /",
                      "share of affected users whose targeting flips", "selection-rate gap: m&apos;s rate − f&apos;s"] {
            #expect(html.contains("class=\"axislabel\">\(label)"), "\(label)")
        }
        // The parity ratio axis runs 0…1 in plain numbers with the four-fifths line.
        #expect(html.contains(">1.0</text>") && html.contains("four-fifths (0.8)"))
        // The material bars are the material findings' colour; the truth and data stages are context.
        #expect(html.contains("class=\"v-material\"><title>gender: f: 8.0%</title>"))
        #expect(html.contains("class=\"v-context\"><title>true interest: 2.0%</title>"))
    }

    /// The attribution chart of two groups diverges from 0: a stage favouring the second group is drawn left of
    /// 0, the sides are labelled, and the axis is symmetric.
    @Test func theAttributionChartShowsTheDirection() {
        var r = report()
        r.attribution[0].modelGap = Estimate(value: -0.05, lower: -0.07, upper: -0.03)
        let html = HTMLReport(r).attributionCharts()
        #expect(html.contains("← favours f</text>") && html.contains("favours m →</text>"))
        #expect(html.contains("class=\"zero\""))
        // Symmetric ticks through 0, −7.5% … 7.5% (the widest interval end is 7%): the model's bar lies left of the
        // zero line, from x = 6 + 328 · (−0.05 + 0.075) / 0.15.
        for tick in ["-7.5%", "-5.0%", "-2.5%", "0%", "2.5%", "5.0%", "7.5%"] {
            #expect(html.contains("class=\"tick\">\(tick)</text>"), "\(tick)")
        }
        #expect(html.contains("<rect x=\"60.7\" y=\"108.0\" width=\"109.3\""), "\(html)")
    }

    /// The model card, policy and warning are styled by what they say; verdict cells by their verdict.
    @Test func sectionsAreStyledByOutcome() {
        let html = HTMLReport(report()).render()
        #expect(html.contains("<p class=\"warn\"><strong>Model under audit:</strong> implicit ALS (factors 8); no "
                              + "holdout check was recorded for this model</p>"))
        #expect(html.contains("<p class=\"bad\"><strong>Warning:</strong> baseline differs</p>"))
        #expect(html.contains("<p class=\"bad\">The policy is violated with evidence: gap. The gate fails.</p>"))
        #expect(html.contains("<tr><td>gap</td><td class=\"bad\">violated</td><td>x: m</td></tr>"))
        #expect(html.contains("<td class=\"verdict v-material\">material</td>"))
    }

    /// The first screen answers: the overall verdict and one sentence per offer come before any chart, table or
    /// test name.
    @Test func theAnswerComesFirst() throws {
        let html = HTMLReport(report()).render()
        let answer = try #require(html.range(of: "<section class=\"answer\">"))
        let overall = try #require(html.range(of: "<strong>3 material findings</strong>"))
        let headline = try #require(html.range(of: "<li><strong>loan</strong>: f is targeted less than m"))
        let firstChart = try #require(html.range(of: "<figure"))
        let firstTest = try #require(html.range(of: "Wald"))
        #expect(answer.lowerBound < overall.lowerBound && overall.lowerBound < headline.lowerBound)
        #expect(headline.upperBound < firstChart.lowerBound && headline.upperBound < firstTest.lowerBound)
    }

    @Test func escapeAndMarkup() {
        #expect(HTMLReport.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;")
        #expect(HTMLReport.escape("tab\tok\u{7}bell") == "tab\tok\u{FFFD}bell")
        #expect(HTMLReport.markup("**x** < y") == "<strong>x</strong> &lt; y")
        #expect(HTMLReport.markup("a **b** c **d**") == "a <strong>b</strong> c <strong>d</strong>")
        #expect(HTMLReport.markup("no bold") == "no bold")
    }
}
