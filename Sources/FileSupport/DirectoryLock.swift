#if canImport(Glibc)
internal import Glibc
#endif

/// The exclusive lock of an output directory: an advisory `flock` on `DIR/.fairground.lock`, held by the one run
/// writing there, released (and the file removed) when its commit is done. The kernel drops the lock of a process
/// that dies, so a killed run never blocks the next one.
public final class DirectoryLock {
    /// The lock file's name.
    public static let name = ".fairground.lock"

    private var descriptor: Int32
    private let path: String

    /// Takes the lock of `directory` without waiting.
    ///
    /// - Throws: ``FairgroundError`` naming the directory (and the process holding it) when another run writes there.
    public init(directory: String) throws(FairgroundError) {
        path = directory + "/" + Self.name
        while true {
            let path = self.path
            let fd = InterruptCleanup.shared.creating(path) { Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
            guard fd >= 0 else {
                InterruptCleanup.shared.unregister([path])
                throw FileIO.systemError(path)
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                // Another run's lock: never ours to remove on interruption.
                InterruptCleanup.shared.unregister([path])
                let holder = Self.holder(fd)
                close(fd)
                throw FairgroundError(
                    path: directory,
                    reason: "another fairground run\(holder.map { " (process \($0))" } ?? "") is writing into this "
                        + "directory; wait for it to finish or choose another output")
            }
            // The previous holder may have removed the file between our open and flock: lock the file that is there.
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                descriptor = fd
                break
            }
            close(fd)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n").first ?? "")
    }

    /// Removes the lock file and releases the lock (idempotent).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
        InterruptCleanup.shared.unregister([path])
    }

    deinit { release() }
}
