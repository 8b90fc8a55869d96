import Foundation
import Testing

/// Issue 26, point 5, through the binary: a valid 254-character model file name was refused, because its temporary
/// name (`.NAME.tmp-PID`) passed the file system's 255-byte limit on a name. Every name up to 255 bytes is written
/// now (the long ones staged as `.fairground-HASH.tmp-PID`, nothing left behind); 256 bytes is more than Linux file
/// systems take (NAME_MAX), and the refusal says so.
extension CommandLineTests {
    @Test func modelFileNamesUpTo255BytesAreWritten() throws {
        let world = scratch("long-name-world"), directory = scratch("long-names")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--out", world, "--users", "300", "-q").status == 0)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for length in [254, 255] {
            let name = String(repeating: "m", count: length - 4) + ".fgm"
            let t = try fairground("train", world, "--out", directory + "/" + name, "--factors", "4", "--iterations", "2",
                                   "--holdout", "0", "-q")
            #expect(t.status == 0, "\(length) bytes: \(t.stderr)")
            let r = try fairground("recommend", directory + "/" + name, "--similar-to", "3", "--k", "2")
            #expect(r.status == 0, "\(length) bytes: \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).map(\.utf8.count).sorted() == [254, 255])
        let name = String(repeating: "m", count: 252) + ".fgm"
        let t = try fairground("train", world, "--out", directory + "/" + name, "--factors", "4", "--iterations", "2",
                               "--holdout", "0", "-q")
        #expect(t.status == 2 && t.stderr.contains("expected an output file name of at most 255 bytes (the file "
                                                   + "system's limit on a name, NAME_MAX), found '256 bytes'"),
                "exit \(t.status): \(t.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 2)
    }
}
