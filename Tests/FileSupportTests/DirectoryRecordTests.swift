import Foundation
@testable import FileSupport
import TestSupport
import Testing

/// A directory is read only when its files match `manifest.json`: every listed size, and the digest of each file
/// about to be read; the refusal names the directory or record and what differs.
@Suite struct DirectoryRecordTests {
    let files = ["a.csv": "x,y\n1,2\n", "b.mtx": "%%MatrixMarket\n1 1 1\n"]

    /// A directory committed with its record (written by a `StagedOutput`, the record last).
    func committed(_ name: String, digests: Bool = true) throws -> String {
        let d = temporaryPath(name)
        try? FileManager.default.removeItem(atPath: d)
        let output = try StagedOutput(directory: d)
        output.record = DirectoryRecord.name
        var entries: [String] = []
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            let file = try output.open(name)
            try file.write(text)
            try file.close()
            let digest = digests ? ", \"digest\": \"\(file.digest.hexadecimal)\"" : ""
            entries.append("{\"name\": \"\(name)\", \"bytes\": \(file.bytesWritten)\(digest)}")
        }
        let record = try output.open(DirectoryRecord.name)
        try record.write("{\"files\": [" + entries.joined(separator: ", ") + "]}\n")
        try record.close()
        try output.commit()
        return d
    }

    func refusal(_ directory: String, files: [String] = []) -> FairgroundError? {
        do {
            try DirectoryRecord.verify(directory: directory, files: files)
            return nil
        } catch { return error }
    }

    @Test func aCompleteDirectoryIsAccepted() throws {
        let d = try committed("complete")
        #expect(refusal(d) == nil)
        #expect(refusal(d, files: ["a.csv", "b.mtx"]) == nil)
        // Without recorded digests the sizes are all there is to check.
        #expect(refusal(try committed("no-digests", digests: false), files: ["a.csv"]) == nil)
    }

    @Test func aDirectoryWithoutItsRecordIsIncomplete() throws {
        let d = try committed("no-record")
        try FileIO.remove(d + "/manifest.json")
        let error = try #require(refusal(d))
        #expect(error.location == .file(d) && error.field == "manifest.json")
        #expect(error.expected.hasPrefix("a complete directory"))
    }

    @Test func anUnreadableRecordIsNamed() throws {
        let d = try committed("bad-record")
        try writeAtomically(Array("{\"files\": 3}".utf8), to: d + "/manifest.json")
        let error = try #require(refusal(d))
        #expect(error.location == .file(d + "/manifest.json") && error.field == "files")
        #expect(error.expected == "the list of the directory's files and sizes")
    }

    /// A changed size, a missing file and a file the record does not list are each named.
    @Test func differencesFromTheRecordAreListed() throws {
        let d = try committed("sizes")
        try writeAtomically(Array("x,y\n".utf8), to: d + "/a.csv")
        try FileIO.remove(d + "/b.mtx")
        try writeAtomically([1], to: d + "/stale.csv")
        let error = try #require(refusal(d, files: ["stale.csv"]))
        #expect(error.location == .file(d + "/manifest.json") && error.field == "files")
        #expect(error.found == "a.csv: 4 bytes, recorded 8; b.mtx: missing, recorded 21; "
                + "stale.csv is not part of the recorded output (left from an earlier run)")
    }

    /// Same size, other bytes: only the digest of a file about to be read tells, and only for that file.
    @Test func aChangedFileOfTheSameSizeIsCaughtByItsDigest() throws {
        let d = try committed("digest")
        try writeAtomically(Array("x,y\n1,3\n".utf8), to: d + "/a.csv")
        #expect(refusal(d) == nil)
        #expect(refusal(d, files: ["b.mtx"]) == nil)
        let error = try #require(refusal(d, files: ["a.csv"]))
        let now = ContentDigest.of(Array("x,y\n1,3\n".utf8)).hexadecimal
        let then = ContentDigest.of(Array("x,y\n1,2\n".utf8)).hexadecimal
        #expect(error.found == "a.csv: digest \(now), recorded \(then)")
    }

    /// A pending commit's journal is completed before checking; while a run holds the lock it is refused.
    @Test func aDirectoryBeingCommittedIsRefused() throws {
        let d = try committed("committing")
        try writeAtomically(Array(".x.tmp-1\tx\n.y.tmp-1\ty\n".utf8), to: d + "/" + StagedOutput.journalName)
        let lock = try DirectoryLock(directory: d)
        let error = try #require(refusal(d))
        #expect(error.location == .file(d))
        #expect(error.expected.hasPrefix("a directory no run is committing into (another fairground run"))
        lock.release()
        #expect(refusal(d) == nil)
        #expect(!FileIO.exists(d + "/" + StagedOutput.journalName))
    }

    /// The digest of a file read in 1 MiB chunks is the digest of its bytes, at and around the chunk size.
    @Test(arguments: [0, 1 << 20, (1 << 20) + 3])
    func digestOfAFileIsTheDigestOfItsBytes(_ length: Int) throws {
        let path = temporaryPath("digest-\(length)")
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251) }
        try writeAtomically(bytes, to: path)
        #expect(try DirectoryRecord.digest(of: path) == ContentDigest.of(bytes).hexadecimal)
        #expect(throws: FairgroundError(file: path + ".missing", expected: "a readable file (No such file or directory)")) {
            _ = try DirectoryRecord.digest(of: path + ".missing")
        }
    }
}
