import Foundation
@testable import FileSupport
import TestSupport
import Testing

/// Issue 26, point 4: a journal replay never reaches outside its directory (a crafted `.fairground-commit` naming
/// `../`, an absolute path, a symbolic link or a name no commit writes is refused, nothing moved or deleted), and a
/// commit with a directory or other non-file in the way of a target is refused before its first rename, so the old
/// output stays whole.
extension StagedOutputTests {
    /// Every entry of `directory` (hidden ones too): a file's text, `dir`, `fifo` or a symbolic link's target.
    func entries(_ directory: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            let type = try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
            switch type {
            case .typeSymbolicLink?: out[name] = "link to " + (try FileManager.default.destinationOfSymbolicLink(atPath: path))
            case .typeDirectory?: out[name] = "dir"
            case .typeRegular?: out[name] = try String(contentsOfFile: path, encoding: .utf8)
            default: out[name] = "special"
            }
        }
        return out
    }

    /// A world directory `BASE/world` (population, manifest) beside `BASE/outside` (secret.csv, victim.csv).
    func worldBesideOutside(_ name: String) throws -> (world: String, outside: String) {
        let base = fresh(name)
        let world = base + "/world", outside = base + "/outside"
        try commit(["population.csv": "old population", "manifest.json": "old record"], into: world,
                   record: "manifest.json")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "outside secret".write(toFile: outside + "/secret.csv", atomically: false, encoding: .utf8)
        try "outside victim".write(toFile: outside + "/victim.csv", atomically: false, encoding: .utf8)
        return (world, outside)
    }

    /// Crafted journals (`OUT` stands for the outside directory's absolute path, `STAGED` for a staged file of a
    /// dead run, written before the journal): each is refused by a reader and by a writer, naming the directory
    /// and the entry, and neither the world nor the outside directory changes.
    @Test(arguments: [
        ("dot-dot source", "../outside/secret.csv\tpopulation.csv\n", "../outside/secret.csv"),
        ("dot-dot removal after a valid rename", "STAGED\tpopulation.csv\n\t../outside/victim.csv\n", "../outside/victim.csv"),
        ("dot-dot target", "STAGED\t../outside/victim.csv\n", "../outside/victim.csv"),
        ("absolute removal", "\tOUT/victim.csv\n", "OUT/victim.csv"),
        ("absolute source", "OUT/secret.csv\tpopulation.csv\n", "OUT/secret.csv"),
        ("symbolic link staged", "LINK\tpopulation.csv\n", "a symbolic link"),
        ("plain name as the source", "population.csv\tmanifest.json\n", "population.csv"),
        ("another file's staged name", "STAGED\tmanifest.json\n", ".population.csv.tmp-999999"),
        ("the lock as a target", "\t.fairground.lock\n", ".fairground.lock"),
        ("a line that is no entry", "population.csv\n", "population.csv"),
    ])
    func aCraftedJournalIsRefusedAndChangesNothing(_ name: String, _ journal: String, _ named: String) throws {
        let (world, outside) = try worldBesideOutside("crafted-\(name.replacingOccurrences(of: " ", with: "-"))")
        let staged = ".population.csv.tmp-999999"
        try "new population".write(toFile: world + "/" + staged, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: world + "/.population.csv.tmp-999998",
                                                   withDestinationPath: outside + "/secret.csv")
        let text = journal.replacingOccurrences(of: "STAGED", with: staged)
            .replacingOccurrences(of: "LINK", with: ".population.csv.tmp-999998")
            .replacingOccurrences(of: "OUT", with: outside)
        try text.write(toFile: world + "/" + StagedOutput.journalName, atomically: false, encoding: .utf8)
        let named = named.replacingOccurrences(of: "OUT", with: outside)
        let worldBefore = try entries(world), outsideBefore = try entries(outside)

        let refusals: [(String, () throws(FairgroundError) -> Void)] = [
            ("recover", { () throws(FairgroundError) in try StagedOutput.recover(directory: world) }),
            ("verify", { () throws(FairgroundError) in try DirectoryRecord.verify(directory: world, files: ["population.csv"]) }),
            ("writer", { () throws(FairgroundError) in _ = try StagedOutput(directory: world) }),
        ]
        for (reader, call) in refusals {
            do {
                try call()
                Issue.record("\(reader) replayed a crafted journal (\(name))")
            } catch {
                #expect(error.description.contains(world + "/" + StagedOutput.journalName), "\(reader): \(error)")
                #expect(error.description.contains(named), "\(reader): \(error)")
                #expect(error.description.contains("nothing was moved or deleted"), "\(reader): \(error)")
            }
            #expect(try entries(world) == worldBefore, "\(reader) changed the world (\(name))")
            #expect(try entries(outside) == outsideBefore, "\(reader) changed the outside directory (\(name))")
        }
    }

    /// A journal whose second rename has a directory in the way is refused before its first rename: the old
    /// population stays, and the replay completes once the directory is gone.
    @Test func aJournalWithADirectoryInTheWayIsRefusedBeforeAnyRename() throws {
        let (world, _) = try worldBesideOutside("replay-directory")
        for name in ["population.csv", "truth.csv", "manifest.json"] {
            try "new \(name)".write(toFile: world + "/.\(name).tmp-999999", atomically: false, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: world + "/truth.csv", withIntermediateDirectories: false)
        try ".population.csv.tmp-999999\tpopulation.csv\n.truth.csv.tmp-999999\ttruth.csv\n.manifest.json.tmp-999999\tmanifest.json\n"
            .write(toFile: world + "/" + StagedOutput.journalName, atomically: false, encoding: .utf8)
        let before = try entries(world)
        do {
            try StagedOutput.recover(directory: world)
            Issue.record("a journal with a directory in the way was replayed")
        } catch {
            #expect(error.description.contains("truth.csv") && error.description.contains("a directory"), "\(error)")
        }
        #expect(try entries(world) == before)
        try FileManager.default.removeItem(atPath: world + "/truth.csv")
        try StagedOutput.recover(directory: world)
        #expect(try entries(world) == ["population.csv": "new population.csv", "truth.csv": "new truth.csv",
                                       "manifest.json": "new manifest.json"])
    }

    /// A commit with a directory or a FIFO in the way of one of its targets is refused before anything is renamed
    /// or removed: the old output stays whole (population, record), with no journal, temporary file or lock left.
    @Test(arguments: ["directory", "fifo"])
    func aCommitWithANonFileInTheWayIsRefusedBeforeAnyRename(_ obstacle: String) throws {
        let d = fresh("in-the-way-\(obstacle)")
        try commit(["population.csv": "old population", "manifest.json": "old record"], into: d, record: "manifest.json")
        if obstacle == "directory" {
            try FileManager.default.createDirectory(atPath: d + "/truth.csv/inside", withIntermediateDirectories: true)
        } else {
            #expect(mkfifo(d + "/truth.csv", 0o644) == 0)
        }
        let before = try entries(d)
        do {
            try commit(["population.csv": "new population", "truth.csv": "new truth", "manifest.json": "new record"],
                       into: d, record: "manifest.json")
            Issue.record("a commit with a \(obstacle) in the way went ahead")
        } catch let error as FairgroundError {
            #expect(error.source == d + "/truth.csv", "\(error)")
            #expect(error.description.contains(obstacle == "directory" ? "a directory" : "a FIFO"), "\(error)")
        }
        #expect(try entries(d) == before)
    }

    /// A staged removal with a directory in the way is refused before the commit renames anything.
    @Test func aRemovalOfADirectoryIsRefusedBeforeAnyRename() throws {
        let d = fresh("removal-directory")
        try commit(["population.csv": "old population", "manifest.json": "old record"], into: d, record: "manifest.json")
        try FileManager.default.createDirectory(atPath: d + "/truth.csv", withIntermediateDirectories: false)
        let before = try entries(d)
        do {
            let output = try StagedOutput(directory: d)
            output.record = "manifest.json"
            output.remove("truth.csv")
            for name in ["population.csv", "manifest.json"] {
                let file = try output.open(name)
                try file.write("new")
                try file.close()
            }
            try output.commit()
            Issue.record("a removal of a directory went ahead")
        } catch {
            #expect(error.source == d + "/truth.csv", "\(error)")
        }
        #expect(try entries(d) == before)
    }

    /// A staged file must be one name inside the directory: `../`, `/`, `.`, `..` and the empty name are refused
    /// before anything is created.
    @Test(arguments: ["../escape.csv", "sub/escape.csv", "..", ".", ""])
    func aStagedFileNeedsAPlainName(_ name: String) throws {
        let base = fresh("plain-name-\(name.count)-\(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) })")
        let d = base + "/world"
        let output = try StagedOutput(directory: d)
        #expect(throws: FairgroundError.self) { _ = try output.open(name) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base) == ["world"])
        #expect(try entries(d).keys.sorted() == [DirectoryLock.name])
    }

    /// A journaled commit (several files) naming the journal or the lock among its files is refused before its
    /// journal is written: replay would refuse that journal.
    @Test(arguments: [StagedOutput.journalName, DirectoryLock.name])
    func aJournaledCommitOfTheJournalOrLockIsRefused(_ name: String) throws {
        let d = fresh("reserved-\(name.dropFirst())")
        try commit(["population.csv": "old population"], into: d)
        let before = try entries(d)
        #expect(throws: FairgroundError.self) { try commit(["population.csv": "new", name: "x"], into: d) }
        #expect(try entries(d) == before)
    }
}
