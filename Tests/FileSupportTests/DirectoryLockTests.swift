import Foundation
@testable import FileSupport
import TestSupport
import Testing

/// One writer per output directory: the lock file holds the writer's process id, a second taker is refused naming
/// it, and releasing (or dropping) the lock removes the file so the next run proceeds.
@Suite struct DirectoryLockTests {
    func fresh(_ name: String) throws -> String {
        let d = temporaryPath(name)
        try? FileManager.default.removeItem(atPath: d)
        try FileIO.makeDirectory(d)
        return d
    }

    @Test func theLockFileNamesItsHolder() throws {
        let d = try fresh("holder")
        let lock = try DirectoryLock(directory: d)
        #expect(try FileIO.readText(d + "/" + DirectoryLock.name) == "\(getpid())\n")
        lock.release()
        #expect(!FileIO.exists(d + "/" + DirectoryLock.name))
        lock.release()  // idempotent
        #expect(!FileIO.exists(d + "/" + DirectoryLock.name))
    }

    @Test func aSecondTakerIsRefusedUntilTheFirstReleases() throws {
        let d = try fresh("second")
        let first = try DirectoryLock(directory: d)
        #expect(throws: FairgroundError(path: d, reason: "another fairground run (process \(getpid())) is writing into this "
                                      + "directory; wait for it to finish or choose another output")) {
            _ = try DirectoryLock(directory: d)
        }
        // The refused taker left the holder's file alone.
        #expect(try FileIO.readText(d + "/" + DirectoryLock.name) == "\(getpid())\n")
        first.release()
        let second = try DirectoryLock(directory: d)
        second.release()
    }

    /// A lock dropped without `release()` is released by its deinitialiser.
    @Test func droppingTheLockReleasesIt() throws {
        let d = try fresh("dropped")
        do { _ = try DirectoryLock(directory: d) }
        #expect(!FileIO.exists(d + "/" + DirectoryLock.name))
        let again = try DirectoryLock(directory: d)
        again.release()
    }

    /// A stale lock file (its process gone, so nobody holds the `flock`) does not block the next run, whatever it
    /// holds; the new holder writes its own id over it.
    @Test func aLeftoverLockFileIsTakenOver() throws {
        let d = try fresh("leftover")
        try writeAtomically(Array("999999999\nleftover text\n".utf8), to: d + "/" + DirectoryLock.name)
        let lock = try DirectoryLock(directory: d)
        #expect(try FileIO.readText(d + "/" + DirectoryLock.name) == "\(getpid())\n")
        lock.release()
    }

    @Test func aMissingDirectoryIsNamed() {
        let d = temporaryPath("no-such-directory") + "/inner"
        #expect(throws: FairgroundError(path: d + "/" + DirectoryLock.name, reason: "No such file or directory")) {
            _ = try DirectoryLock(directory: d)
        }
    }
}
