import Foundation
@testable import FileSupport
import TestSupport
import Testing

/// Commits of multi-file outputs: the journal completes a killed commit, the lock refuses a second writer, a staged
/// removal happens with the commit, and a failed run leaves nothing.
@Suite struct StagedOutputTests {
    func fresh(_ name: String) -> String {
        let path = temporaryPath(name)
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    func contents(_ directory: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            out[name] = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        }
        return out
    }

    func commit(_ files: [String: String], into directory: String, record: String? = nil) throws {
        let output = try StagedOutput(directory: directory)
        output.record = record
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            let file = try output.open(name)
            try file.write(text)
            try file.close()
        }
        try output.commit()
    }

    /// A commit killed after its journal (simulated: the journal and the staged files of a dead process, the
    /// old files still in place) is completed by the next reader: the new output, whole.
    @Test func aJournalLeftByAKilledCommitIsCompleted() throws {
        let d = fresh("journal")
        try commit(["a.txt": "old a", "b.txt": "old b", "manifest.json": "old record"], into: d, record: "manifest.json")
        let dead = "999999"  // the killed run's process id (the replay goes by the lock, not by process ids)
        for (name, text) in ["a.txt": "new a", "b.txt": "new b", "manifest.json": "new record"] {
            try text.write(toFile: d + "/.\(name).tmp-\(dead)", atomically: false, encoding: .utf8)
        }
        // a.txt was already renamed when the run died.
        try FileManager.default.removeItem(atPath: d + "/a.txt")
        try FileManager.default.moveItem(atPath: d + "/.a.txt.tmp-\(dead)", toPath: d + "/a.txt")
        try ".a.txt.tmp-\(dead)\ta.txt\n.b.txt.tmp-\(dead)\tb.txt\n.manifest.json.tmp-\(dead)\tmanifest.json\n"
            .write(toFile: d + "/" + StagedOutput.journalName, atomically: false, encoding: .utf8)
        try StagedOutput.recover(directory: d)
        #expect(try contents(d) == ["a.txt": "new a", "b.txt": "new b", "manifest.json": "new record"])
    }

    /// While a run holds the directory's lock, a second writer and a recovering reader are refused with the
    /// holder's process id; once released, both proceed and the lock file is gone.
    @Test func aSecondWriterIsRefusedWhileTheLockIsHeld() throws {
        let d = fresh("lock")
        let first = try StagedOutput(directory: d)
        #expect(FileManager.default.fileExists(atPath: d + "/" + DirectoryLock.name))
        do {
            _ = try StagedOutput(directory: d)
            Issue.record("a second writer was admitted")
        } catch {
            #expect(error.source == d && error.reason.contains("another fairground run (process \(getpid()))"),
                    "\(error)")
        }
        let file = try first.open("x.txt")
        try file.write("x")
        try file.close()
        try first.commit()
        #expect(try contents(d) == ["x.txt": "x"])
        try commit(["y.txt": "y"], into: d)
        #expect(try contents(d) == ["x.txt": "x", "y.txt": "y"])
    }

    /// A staged removal happens in the commit, not before it; an output dropped before its commit leaves the
    /// directory as it was (no temporary file, no lock).
    @Test func removalsHappenWithTheCommitAndAnAbandonedOutputLeavesNothing() throws {
        let d = fresh("removal")
        try commit(["keep.txt": "1", "old.csv": "2"], into: d)
        do {
            let output = try StagedOutput(directory: d)
            output.remove("old.csv")
            let file = try output.open("keep.txt")
            try file.write("new")
            try file.close()
            #expect(FileManager.default.fileExists(atPath: d + "/old.csv"))
        }
        #expect(try contents(d) == ["keep.txt": "1", "old.csv": "2"])
        let output = try StagedOutput(directory: d)
        output.remove("old.csv")
        let file = try output.open("keep.txt")
        try file.write("new")
        try file.close()
        try output.commit()
        #expect(try contents(d) == ["keep.txt": "new"])
    }
}
