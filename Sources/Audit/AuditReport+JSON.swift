import FileSupport

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension AuditReport {
    /// The report as pretty-printed JSON with sorted snake_case keys (byte-stable for equal reports).
    ///
    /// - Throws: ``FairgroundError`` when a value cannot be encoded.
    public func jsonBytes() throws(FairgroundError) -> [UInt8] {
        try JSONOutput.bytes(self, snakeCase: true, what: "report.json")
    }

    /// Reads a `report.json` (e.g. a baseline).
    ///
    /// - Throws: ``FairgroundError`` naming the file when it is missing, malformed or of another format version.
    public static func read(path: String) throws(FairgroundError) -> AuditReport {
        // An audit killed mid-commit leaves its journal: complete it, so the report read is the whole new one.
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        do { try StagedOutput.recover(directory: directory.isEmpty ? "/" : directory) } catch {
            throw FairgroundError(file: path, field: "file", expected: "a report no run is writing", found: error.reason)
        }
        let text = try FileIO.readText(path, expecting: "a readable report.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let report: AuditReport
        do {
            report = try decoder.decode(AuditReport.self, from: Data(text.utf8))
        } catch {
            throw FairgroundError(file: path, field: "document", expected: "a Fairground audit report", found: "\(error)")
        }
        guard report.format == "fairground-audit", report.formatVersion == 3 else {
            throw FairgroundError(file: path, field: "format_version",
                             expected: "fairground-audit version 3 (earlier reports had unsigned attributions and "
                                 + "verdicts without materiality; audit the baseline again)",
                             found: "\(report.format) version \(report.formatVersion)")
        }
        return report
    }
}
