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

    /// Issue 26, point 5: a valid 254-byte output name was refused, its temporary name (`.NAME.tmp-PID`) passing the
    /// file system's 255-byte limit on a name. Names too long for that form are staged as
    /// `.fairground-HASH.tmp-PID`, so every name up to 255 bytes is written — alone or in a journaled commit — and a
    /// 256-byte name, which no Linux file system takes, is refused naming the limit.
    @Test(arguments: [200, 240, 254, 255])
    func everyNameUpTo255BytesCanBeStaged(_ length: Int) throws {
        let d = fresh("long-\(length)")
        let name = String(repeating: "m", count: length - 4) + ".fgm"
        let temporary = StagedOutput.temporaryName(for: name, process: getpid())
        let plain = ".\(name).tmp-\(getpid())"
        #expect(temporary.utf8.count <= StagedOutput.nameLimit)
        if plain.utf8.count <= 255 {
            #expect(temporary == plain)
        } else {
            #expect(temporary.hasPrefix(".fairground-") && temporary.hasSuffix(".tmp-\(getpid())")
                    && temporary.utf8.count == 12 + 16 + 5 + "\(getpid())".count, "\(temporary)")
        }
        try FileIO.makeDirectory(d)
        try writeAtomically(Array("alone".utf8), to: d + "/" + name)
        #expect(try contents(d) == [name: "alone"])
        // In a journaled commit with a record, as a generated directory is written.
        try commit([name: "new", "manifest.json": "record"], into: d, record: "manifest.json")
        #expect(try contents(d) == [name: "new", "manifest.json": "record"])
        // A multi-byte name counts bytes: 127 two-byte letters and a dot are 255 bytes.
        let wide = String(repeating: "é", count: 127) + "."
        #expect(wide.utf8.count == 255)
        try writeAtomically(Array("wide".utf8), to: d + "/" + wide)
        #expect(try FileIO.readText(d + "/" + wide) == "wide")
    }

    @Test func aNameLongerThanTheFileSystemTakesIsRefusedNamingTheLimit() throws {
        let d = fresh("too-long")
        let name = String(repeating: "m", count: 256)
        do {
            try writeAtomically([1], to: d + "/" + name)
            Issue.record("a 256-byte name was accepted")
        } catch {
            #expect(error.description == "\(d): '\(name)': expected an output file name of at most 255 bytes (the file "
                    + "system's limit on a name, NAME_MAX), found '256 bytes'")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: d).isEmpty)
    }

    /// A commit killed after its journal with a long name staged under its hashed name is completed by the next
    /// reader, and a hashed name that is not that name's is refused, as any other foreign entry is.
    @Test func aJournalWithHashedStagedNamesIsReplayed() throws {
        let d = fresh("long-journal")
        let name = String(repeating: "n", count: 255)
        try commit([name: "old", "manifest.json": "old record"], into: d, record: "manifest.json")
        let dead: Int32 = 999_999
        let staged = StagedOutput.temporaryName(for: name, process: dead)
        let record = StagedOutput.temporaryName(for: "manifest.json", process: dead)
        try "new".write(toFile: d + "/" + staged, atomically: false, encoding: .utf8)
        try "new record".write(toFile: d + "/" + record, atomically: false, encoding: .utf8)
        let other = StagedOutput.temporaryName(for: String(repeating: "o", count: 255), process: dead)
        try "\(other)\t\(name)\n\(record)\tmanifest.json\n"
            .write(toFile: d + "/" + StagedOutput.journalName, atomically: false, encoding: .utf8)
        #expect(throws: FairgroundError.self) { try StagedOutput.recover(directory: d) }
        #expect(try contents(d)[name] == "old")
        try "\(staged)\t\(name)\n\(record)\tmanifest.json\n"
            .write(toFile: d + "/" + StagedOutput.journalName, atomically: false, encoding: .utf8)
        try StagedOutput.recover(directory: d)
        #expect(try contents(d) == [name: "new", "manifest.json": "new record"])
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
