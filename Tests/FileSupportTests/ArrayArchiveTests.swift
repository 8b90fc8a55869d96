import Foundation
@testable import FileSupport
import TestSupport
import Testing

/// Named numeric arrays behind a JSON header, memory-mapped when read: every element type round-trips bit for
/// bit, each array starts 8-aligned, and a file that is not a whole archive is refused naming the file.
@Suite struct ArrayArchiveTests {
    let header = Array(#"{"shard":3,"name":"é"}"#.utf8)
    let floats: [Float] = [0, -0.0, 1.5, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
    let ints: [Int32] = [.min, -1, 0, 7, .max]
    let wide: [UInt64] = [0, 1, .max, 0x0123_4567_89AB_CDEF]
    let small: [UInt8] = [1, 2, 3]  // 3 bytes: the next array needs padding

    func write(_ name: String, _ fill: (inout ArrayArchive.Writer) -> Void) throws -> String {
        let d = temporaryPath(name)
        try? FileManager.default.removeItem(atPath: d)
        var writer = ArrayArchive.Writer()
        fill(&writer)
        let output = try StagedOutput(directory: d)
        let file = try output.open("part.fga")
        try writer.write(header: header, to: file)
        try file.close()
        try output.commit()
        return d + "/part.fga"
    }

    func standard(_ name: String) throws -> String {
        try write(name) { w in
            w.add("bytes", small)
            w.add("floats", floats)
            w.add("empty", [Int32]())
            w.add("ints", ints)
            w.add("wide", wide)
        }
    }

    @Test func everyElementTypeRoundTripsBitForBit() throws {
        let archive = try ArrayArchive(path: try standard("round-trip"))
        #expect(archive.header == header)
        #expect(try archive.array("bytes", as: UInt8.self) == small)
        #expect(try archive.array("floats", as: Float.self).map(\.bitPattern) == floats.map(\.bitPattern))
        #expect(try archive.array("ints", as: Int32.self) == ints)
        #expect(try archive.array("wide", as: UInt64.self) == wide)
        #expect(try archive.array("empty", as: Int32.self).isEmpty)
        #expect(archive.contains("wide") && !archive.contains("Wide"))
        let mapped = try archive.mapped("wide", as: UInt64.self)
        #expect(mapped.count == 4 && mapped[2] == .max)
    }

    /// Every array lies 8-aligned from the end of the index, so a mapped UInt64 array is aligned in memory.
    @Test func arraysAreEightAligned() throws {
        let archive = try ArrayArchive(path: try standard("aligned"))
        #expect(archive.dataStart % 8 == 0)
        for (name, entry) in archive.entries { #expect(entry.offset % 8 == 0, "\(name)") }
        #expect(archive.entries["floats"]?.offset == 8 && archive.entries["ints"]?.offset == 40)
        let mapped = try archive.mapped("wide", as: UInt64.self)
        #expect(Int(bitPattern: mapped.baseAddress) % 8 == 0)
    }

    /// Asking for a missing array or the wrong element type names the file, the array and what it holds.
    @Test func wrongNamesAndTypesAreRefused() throws {
        let path = try standard("types")
        let archive = try ArrayArchive(path: path)
        #expect(throws: FairgroundError(file: path, field: "floats", expected: "elements of type i4", found: "f4")) {
            _ = try archive.array("floats", as: Int32.self)
        }
        #expect(throws: FairgroundError(file: path, field: "nope", expected: "an array nope", found: "none")) {
            _ = try archive.mapped("nope", as: UInt8.self)
        }
    }

    func refusal(_ path: String) -> FairgroundError? {
        do {
            _ = try ArrayArchive(path: path)
            return nil
        } catch { return error }
    }

    @Test func filesThatAreNotWholeArchivesAreRefused() throws {
        let path = try standard("damaged")
        let bytes = try FileIO.readBytes(path)
        let short = temporaryPath("short.fga"), other = temporaryPath("other.fga"), cut = temporaryPath("cut.fga")
        try writeAtomically(Array(bytes[..<10]), to: short)
        try writeAtomically(Array("not an archive, just some text".utf8), to: other)
        try writeAtomically(Array(bytes.dropLast(5)), to: cut)
        func found(_ what: String, _ path: String) -> FairgroundError {
            FairgroundError(file: path, field: "file", expected: "an array archive written by Fairground", found: what)
        }
        #expect(refusal(short) == found("10 bytes", short))
        #expect(refusal(other) == found("another kind of file", other))
        #expect(refusal(cut) == found("the array wide outside the file (truncated?)", cut))
        // A header length past the end of the file.
        var long = bytes
        long.replaceSubrange(8..<16, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Array($0) })
        let lying = temporaryPath("lying.fga")
        try writeAtomically(long, to: lying)
        #expect(refusal(lying) == found("a truncated header", lying))
        let missing = temporaryPath("missing.fga")
        #expect(refusal(missing) == FairgroundError(file: missing, field: "file", expected: "a readable file",
                                               found: "No such file or directory"))
    }

    /// A damaged length is a refusal like any other damage: a header length past `Int.max`, or an index whose
    /// count times the element size overflows, must not trap (the reader of a corrupt shard would crash).
    @Test
    func hugeLengthsAreRefusedNotTrapped() throws {
        let bytes = try FileIO.readBytes(try standard("huge"))
        var length = bytes
        length.replaceSubrange(8..<16, with: [UInt8](repeating: 0xFF, count: 8))
        let badLength = temporaryPath("huge-length.fga")
        try writeAtomically(length, to: badLength)
        #expect(refusal(badLength)?.found == "a truncated header")
        let index = #"[{"name":"x","element":"f4","count":4611686018427387904,"offset":0}]"#
        var count = ArrayArchive.magic
        for n in [0, index.utf8.count] { withUnsafeBytes(of: UInt64(n).littleEndian) { count.append(contentsOf: $0) } }
        let badCount = temporaryPath("huge-count.fga")
        try writeAtomically(count + Array(index.utf8), to: badCount)
        #expect(refusal(badCount)?.found == "the array x outside the file (truncated?)")
    }
}
