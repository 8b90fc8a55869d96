import Foundation
@testable import FileSupport
import TestSupport
import Testing

/// Whole-file reads, directories, sizes, and output files whose size and digest are counted as they are written.
@Suite struct FileIOTests {
    func fresh(_ name: String) -> String {
        let path = temporaryPath(name)
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    /// Reads return exactly the bytes written, across the 64 KiB read chunk (one below, at, one above, several).
    @Test(arguments: [0, 1, 65_535, 65_536, 65_537, 200_003])
    func readBytesReturnsExactlyTheFile(_ length: Int) throws {
        let path = fresh("read-\(length)")
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 7) }
        try writeAtomically(bytes, to: path)
        #expect(try FileIO.readBytes(path) == bytes)
        #expect(FileIO.size(path) == length)
    }

    @Test func readTextDecodesUTF8AndRefusesOtherBytes() throws {
        let path = fresh("text")
        try writeAtomically(Array("é 東京 🙂\nzwei\n".utf8), to: path)
        #expect(try FileIO.readText(path) == "é 東京 🙂\nzwei\n")
        let latin1 = fresh("latin1")
        try writeAtomically([0x63, 0x61, 0x66, 0xE9], to: latin1)  // "café" in Latin-1
        #expect(throws: FairgroundError(path: latin1, reason: "not UTF-8 text")) { _ = try FileIO.readText(latin1) }
    }

    /// A missing file is an error naming it with the system's reason.
    @Test func missingFilesAreNamed() {
        let path = fresh("missing")
        let expected = FairgroundError(path: path, reason: "No such file or directory")
        #expect(throws: expected) { _ = try FileIO.readBytes(path) }
        #expect(throws: expected) { _ = try FileIO.readText(path) }
        #expect(expected.description == path + ": No such file or directory")
        #expect(FileIO.size(path) == nil && !FileIO.exists(path))
        #expect(throws: Never.self) { try FileIO.remove(path) }  // removing what is not there is no error
    }

    /// Issue 26, point 1: anything but a regular file — a device that never ends, a FIFO no one writes to, a
    /// directory — is refused before a byte is read, by every reader (whole-file reads, digests, archives), naming
    /// the file and what it is. `/dev/zero` was read until memory ran out; a FIFO blocked for ever (a helper thread
    /// opens its writing end after 5 s, so a regression fails this test instead of hanging it).
    @Test(arguments: ["/dev/zero", "/dev/urandom", "fifo", "directory"])
    func anythingButARegularFileIsRefusedBeforeReading(_ input: String) throws {
        var path = input, found = "a character device"
        if input == "fifo" {
            path = fresh("input.fifo")
            #expect(mkfifo(path, 0o644) == 0)
            found = "a FIFO"
            let fifo = path
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 5)
                let fd = open(fifo, O_WRONLY | O_NONBLOCK)  // succeeds only if a reader is blocked on it
                if fd >= 0 { close(fd) }
            }
        } else if input == "directory" {
            path = fresh("input-directory")
            try FileIO.makeDirectory(path)
            found = "a directory"
        }
        #expect(throws: FairgroundError(file: path, field: "file", expected: "a regular file", found: found)) {
            _ = try FileIO.readBytes(path)
        }
        #expect(throws: FairgroundError(file: path, field: "file", expected: "a readable model file (a regular file)",
                                        found: found)) {
            _ = try FileIO.readBytes(path, expecting: "a readable model file")
        }
        let refusal = FairgroundError(file: path, field: "file", expected: "a readable spec file (a regular file)",
                                      found: found)
        #expect(throws: refusal) { _ = try FileIO.readText(path, expecting: "a readable spec file") }
        #expect(refusal.description == "\(path): file: expected a readable spec file (a regular file), found '\(found)'")
        #expect(throws: FairgroundError(file: path, field: "file", expected: "a regular file", found: found)) {
            _ = try DirectoryRecord.digest(of: path)
        }
        #expect(throws: FairgroundError(file: path, field: "file", expected: "a regular file", found: found)) {
            _ = try ArrayArchive(path: path)
        }
    }

    /// A symbolic link to a regular file is read as the file.
    @Test func aLinkToARegularFileIsRead() throws {
        let d = fresh("link")
        try FileIO.makeDirectory(d)
        try writeAtomically(Array("text".utf8), to: d + "/file")
        try FileManager.default.createSymbolicLink(atPath: d + "/link", withDestinationPath: d + "/file")
        #expect(try FileIO.readText(d + "/link", expecting: "text") == "text")
    }

    /// Parents are made; making an existing directory again is fine; a file in the way is named.
    @Test func makeDirectoryMakesParentsAndNamesAFileInTheWay() throws {
        let root = fresh("mkdir")
        try FileIO.makeDirectory(root + "/a/b//c")
        #expect(FileIO.exists(root + "/a/b/c") && FileIO.size(root + "/a/b/c") == nil)  // a directory has no size
        try FileIO.makeDirectory(root + "/a/b/c")
        try writeAtomically([1], to: root + "/a/file")
        #expect(throws: FairgroundError(path: root + "/a/file", reason: "exists and is not a directory")) {
            try FileIO.makeDirectory(root + "/a/file/d")
        }
    }

    /// Same file: the same inode by two names (a hard link, a symbolic link, `..`), not merely equal contents.
    @Test func isSameComparesFilesNotNames() throws {
        let d = fresh("same")
        try FileIO.makeDirectory(d + "/sub")
        try writeAtomically([1, 2], to: d + "/a")
        try writeAtomically([1, 2], to: d + "/copy")
        try FileManager.default.linkItem(atPath: d + "/a", toPath: d + "/hard")
        try FileManager.default.createSymbolicLink(atPath: d + "/soft", withDestinationPath: d + "/a")
        #expect(FileIO.isSame(d + "/a", d + "/hard") && FileIO.isSame(d + "/a", d + "/soft"))
        #expect(FileIO.isSame(d, d + "/sub/.."))
        #expect(!FileIO.isSame(d + "/a", d + "/copy"))
        #expect(!FileIO.isSame(d + "/a", d + "/none") && !FileIO.isSame(d + "/none", d + "/none"))
        try FileIO.remove(d + "/hard")
        #expect(!FileIO.exists(d + "/hard") && FileIO.exists(d + "/a"))
    }

    /// An output file counts its bytes and digests them as written, text and raw memory alike, and the committed
    /// file holds exactly those bytes.
    @Test func outputFilesCountAndDigestWhatTheyWrite() throws {
        let d = fresh("output")
        let output = try StagedOutput(directory: d)
        let file = try output.open("data.bin")
        #expect(file.path == d + "/.data.bin.tmp-\(getpid())")
        try file.write("héllo\n")
        try file.write([])
        let floats: [Float] = [1.5, -0.0, .infinity]
        try floats.withUnsafeBytes { try file.write(raw: $0) }
        try file.close()
        try file.close()  // closing twice is harmless
        let expected = Array("héllo\n".utf8) + floats.withUnsafeBytes { Array($0) }
        #expect(file.bytesWritten == expected.count)
        #expect(file.digest.hexadecimal == ContentDigest.of(expected).hexadecimal)
        try output.commit()
        #expect(try FileIO.readBytes(d + "/data.bin") == expected)
    }

    /// A lone file is replaced whole; a path without a file name is refused rather than taken as a directory.
    @Test func writeAtomicallyReplacesAndRefusesPathsWithoutAName() throws {
        let d = fresh("atomic")
        try FileIO.makeDirectory(d)
        try writeAtomically(Array("first, longer".utf8), to: d + "/f.txt")
        try writeAtomically(Array("second".utf8), to: d + "/f.txt")
        #expect(try FileIO.readText(d + "/f.txt") == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: d) == ["f.txt"])  // no temporary, no lock
        #expect(throws: FairgroundError.self) { try writeAtomically([1], to: d + "/") }
        #expect(throws: FairgroundError(path: "''", reason: "an output file needs a name (the path is empty or ends in /)")) {
            try writeAtomically([1], to: "")
        }
    }
}
