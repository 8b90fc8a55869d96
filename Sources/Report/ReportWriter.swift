public import Audit
import Sharding
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
    /// - Throws: ``FairgroundError`` when a file cannot be written; nothing is left half-written.
    public func write(_ result: AuditResult, data: AuditData, to directory: String) throws(FairgroundError) {
        try write(result.report, to: directory) { (file: OutputFile) throws(FairgroundError) in
            try DecisionsTable(result: result, data: data).write(to: file, threads: threads)
        }
    }

    /// Writes the report files of a merged sharded audit, `decisions.csv` the parts' own in shard order.
    ///
    /// - Throws: ``FairgroundError`` when a file cannot be written or a part has no decisions (tallied without them);
    ///   nothing is left half-written.
    public func write(_ report: AuditReport, decisionsOf parts: [String], to directory: String) throws(FairgroundError) {
        try write(report, to: directory) { (file: OutputFile) throws(FairgroundError) in
            var header: [UInt8]?
            for part in parts {
                let path = part + "/decisions.csv"
                guard FileIO.exists(path) else {
                    throw FairgroundError(path: path, reason: "missing: the part was tallied without decisions "
                                    + "(merge with --no-decisions, or tally it again)")
                }
                let bytes = try FileIO.readBytes(path)
                let end = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count - 1) + 1
                let own = Array(bytes[..<end])
                if let header, header != own {
                    throw FairgroundError(path: path, reason: "its columns differ from the first part's")
                }
                if header == nil { try file.write(own) }
                header = own
                try file.write(Array(bytes[end...]))
            }
        }
    }

    /// Writes one part of a sharded audit into `directory`: `part.fga` and, unless ``decisions`` is off, the
    /// shard's rows of `decisions.csv`.
    ///
    /// - Throws: ``FairgroundError`` when a file cannot be written; nothing is left half-written.
    public func write(_ part: AuditPart, to directory: String) throws(FairgroundError) {
        let output = try StagedOutput(directory: directory)
        try part.write(into: output)
        if decisions {
            let file = try output.open("decisions.csv")
            try DecisionsTable(result: part.result, data: part.data).write(to: file, threads: threads)
            try file.close()
        } else {
            output.remove("decisions.csv")
        }
        try output.commit()
    }

    func write(_ report: AuditReport, to directory: String,
               decisions writeDecisions: (OutputFile) throws(FairgroundError) -> Void) throws(FairgroundError) {
        let output = try StagedOutput(directory: directory)
        let files: [(String, () throws(FairgroundError) -> [UInt8])] = [
            ("report.json", { () throws(FairgroundError) in try report.jsonBytes() }),
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
            try writeDecisions(file)
            try file.close()
        }
        // Without decisions, an earlier run's decisions.csv would sit beside a report it does not belong to.
        if !decisions { output.remove("decisions.csv") }
        try output.commit()
    }
}
