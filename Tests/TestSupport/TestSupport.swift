#if canImport(Glibc)
import Glibc
#endif

/// The repository's root, found from this file's path (`Tests/TestSupport/TestSupport.swift`).
public let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// A path in the temporary directory unique to this process and `suite`.
public func temporaryPath(_ name: String, suite: String = "tests") -> String {
    "/tmp/fairground-\(suite)-\(getpid())-\(name)"
}

/// Writes `text` to a temporary file and returns its path.
public func writeText(_ text: String, _ name: String, suite: String = "tests") -> String {
    let path = temporaryPath(name, suite: suite)
    let f = fopen(path, "w")!
    fputs(text, f)
    fclose(f)
    return path
}
