public import Audit
import FileSupport

/// Writes an audit's five outputs into a directory — `report.json`, `report.md`, `report.html`, `junit.xml` and
/// `decisions.csv` — each under a temporary name, renamed into place only when all were written.
///
/// ```swift
/// try ReportWriter().write(result, data: data, to: "out/report")
/// ```
public struct ReportWriter: Sendable {
    /// Whether to write `decisions.csv` (one row per user; large for large populations).
    public var decisions = true
    /// Threads formatting `decisions.csv`; the bytes are the same for any value.
    public var threads = 1

    /// Creates a writer.
    public init() {}

    /// The file names written, in order.
    public var fileNames: [String] {
        ["report.json", "report.md", "report.html", "junit.xml"] + (decisions ? ["decisions.csv"] : [])
    }

    /// Writes all outputs of `result` (whose report may carry policy outcomes) for `data`.
    ///
    /// - Throws: ``FileError`` when a file cannot be written; nothing is left half-written.
    public func write(_ result: AuditResult, data: AuditData, to directory: String) throws(FileError) {
        let output = try StagedOutput(directory: directory)
        let report = result.report
        let files: [(String, () throws(FileError) -> [UInt8])] = [
            ("report.json", { () throws(FileError) in try report.jsonBytes() }),
            ("report.md", { Array(MarkdownReport(report).render().utf8) }),
            ("report.html", { Array(HTMLReport(report).render().utf8) }),
            ("junit.xml", { Array(JUnitReport(report).render().utf8) }),
        ]
        for (name, render) in files {
            let file = try output.open(name)
            try file.write(render())
            try file.close()
        }
        if decisions {
            let file = try output.open("decisions.csv")
            try DecisionsTable(result: result, data: data).write(to: file, threads: threads)
            try file.close()
        }
        // Without decisions, an earlier run's decisions.csv would sit beside a report it does not belong to.
        if !decisions { output.remove("decisions.csv") }
        try output.commit()
    }
}
