import Audit

/// `report.md`: the audit for people — the answers first, then the policy and the tables, then definitions.
struct MarkdownReport {
    let report: AuditReport

    init(_ report: AuditReport) { self.report = report }

    func v(_ x: Double?) -> String { FindingText.value(x) }
    func ci(_ e: Estimate) -> String { FindingText.interval(e) }
    func p(_ x: Double?) -> String { FindingText.pValue(x) }
    /// Table cells cannot hold a bare "|" or a line break.
    func cell(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    func render() -> String {
        let c = report.configuration
        var out = "# Fairground audit\n\n"
        for warning in report.warnings ?? [] { out += "**Warning:** \(warning)\n\n" }
        out += "## Answer\n\n"
        let answers = AuditAnswers(report)
        out += answers.overall + "\n\n"
        for offer in answers.offers {
            if let headline = offer.headline { out += "- **\(offer.offer)**: \(headline)\n" }
        }
        if let privacy = answers.privacyHeadline { out += "- **Privacy**: \(privacy)\n" }
        out += "\n"
        if let policy = answers.policy { out += "**\(policy)**\n\n" }
        out += "Verdicts: **material** — the test rejects \"no gap\" and the gap is beyond its materiality threshold "
            + "(for selection rates, a ratio outside the four-fifths band 0.8–1.25); **small** — real but within the "
            + "threshold; **none** — no gap shown and the interval lies within the threshold; **inconclusive** — no gap "
            + "shown, but the interval reaches past the threshold (or too little data).\n\n"
        out += "## About this audit\n\n"
        out += "Subject: \(report.subject.isEmpty ? "scores" : report.subject) · \(report.users) users · offers: "
            + report.offers.joined(separator: ", ") + " · protected: "
            + report.attributes.map { "\($0.name) (\($0.levels.joined(separator: ", ")))" }.joined(separator: "; ") + "\n\n"
        if let card = report.model {
            let warn = card.holdout.map { !$0.beatsPopularity } ?? false
            out += (warn ? "**Model under audit:** " : "Model under audit: ") + card.summary + "\n\n"
        }
        out += "Campaign: " + (c.campaignRules(offers: report.offers) ?? "top \(v(c.targetShare * 100))% of users per offer by score")
            + " · lists: top-\(c.k) · "
            + "\(v(c.confidenceLevel * 100))% intervals · "
            + "Holm over \(report.tests) tests at α = \(v(c.alpha)) · groups below \(c.minimumGroupSize) users flagged\n\n"
        out += "## Details\n\n"
        for offer in answers.offers where !offer.sentences.isEmpty {
            out += "### \(offer.offer)\n\n" + offer.sentences.map { "- " + $0 + "\n" }.joined() + "\n"
        }
        if !answers.privacy.isEmpty {
            out += "### Privacy\n\n" + answers.privacy.map { "- " + $0 + "\n" }.joined() + "\n"
        }
        let content = ReportTables(report)
        for table in content.tables {
            out += "## \(table.title)\n\n" + (table.intro.isEmpty ? "" : table.intro + "\n\n")
            out += "| " + table.header.map(cell).joined(separator: " | ") + " |\n|"
                + table.header.indices.map { table.numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
            for row in table.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        out += "## Definitions\n\n" + content.definitions.map { "- " + $0 + "\n" }.joined() + "\n"
        return out
    }
}
