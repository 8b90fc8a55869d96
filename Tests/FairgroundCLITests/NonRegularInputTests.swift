import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 26, point 1: anything but a regular file given as an input — a device that never ends (`/dev/zero`,
/// `/dev/urandom`), a FIFO no one writes to, a directory — is refused before it is read, naming the file and saying
/// a regular file was expected (exit 2). `/dev/zero` as `--data` or as the model file was read until memory ran
/// out; a FIFO blocked the run for ever. Every run here has a deadline, so a hang fails the test instead of
/// blocking it.
extension CommandLineTests {
    @Test func devicesFIFOsAndDirectoriesAreRefusedAsInputs() throws {
        let (world, model) = try validationFixture()
        let fifo = scratch("input.fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        let directory = scratch("input-directory")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let found = ["/dev/zero": "a character device", "/dev/urandom": "a character device", fifo: "a FIFO",
                     directory: "a directory"]
        let out = scratch("never-written")
        // (the input, the command that reads it, what it should have been)
        let cases: [(String, [String], String)] = [
            ("/dev/zero", ["train", "/dev/zero", "--out", out], "a readable interaction file"),
            (fifo, ["train", fifo, "--out", out], "a readable interaction file"),
            ("/dev/urandom", ["split", "/dev/urandom", "--out", out], "a readable interaction file"),
            ("/dev/zero", ["recommend", "/dev/zero", "--similar-to", "3"], "a readable model file"),
            (fifo, ["recommend", fifo, "--similar-to", "3"], "a readable model file"),
            (directory, ["recommend", directory, "--similar-to", "3"], "a readable model file"),
            ("/dev/zero", ["audit", world, "--model", "/dev/zero", "--out", out], "a readable model file"),
            (fifo, ["evaluate", model, "--train", fifo, "--test", world], "a readable interaction file"),
            ("/dev/urandom", ["generate", "/dev/urandom", "--out", out], "a readable spec file"),
            (fifo, ["generate", fifo, "--out", out], "a readable spec file"),
            (fifo, ["audit", world, "--model", model, "--policy", fifo, "--out", out], "a readable policy file"),
            ("/dev/zero", ["audit", world, "--scores", "/dev/zero", "--out", out], "a readable CSV file"),
            (fifo, ["train", world, "--config", fifo, "--out", out], "a readable configuration file"),
            ("/dev/urandom", ["recommend", model, "--user", "3", "--data", world, "--items", "/dev/urandom"],
             "a readable item_id,category file"),
            (fifo, ["train", world, "--exclude-users", fifo, "--out", out], "a readable list of user ids"),
            ("/dev/zero", ["import", world, "--item-factors", "/dev/zero", "--convention", "implicit",
                            "--regularization", "1", "--alpha", "1", "--out", out], "a readable .npy file"),
        ]
        for (input, arguments, what) in cases {
            let run = try fairground(arguments, deadline: .seconds(30))
            guard let r = run.result else {
                Issue.record("\(arguments.joined(separator: " ")) hung: still running after 30 s")
                continue
            }
            #expect(r.status == 2 && !r.signalled, "\(arguments.joined(separator: " ")): exit \(r.status) \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: \(input): file: expected \(what)")
                    && r.stderr.contains("(a regular file), found '\(found[input]!)'"),
                    "\(arguments.joined(separator: " ")): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
