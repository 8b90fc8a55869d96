#if canImport(Glibc)
import Glibc
#endif

/// The repository's root, found from this file's path (`Tests/TestSupport/TestSupport.swift`).
public let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// A path in the temporary directory unique to this process and `suite` (by default the calling file, so two
/// test files never share a name).
public func temporaryPath(_ name: String, suite: String = #fileID) -> String {
    let tag = String(suite.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    return "/tmp/fairground-\(tag)-\(getpid())-\(name)"
}

/// Writes `text` to a temporary file and returns its path.
public func writeText(_ text: String, _ name: String, suite: String = #fileID) -> String {
    let path = temporaryPath(name, suite: suite)
    let f = fopen(path, "w")!
    fputs(text, f)
    fclose(f)
    return path
}

/// The 64-bit linear congruential generator (Knuth's MMIX constants) that the tests use for reproducible
/// data: `next()` returns the new state.
public struct TestLCG: RandomNumberGenerator {
    /// The current state.
    public var state: UInt64

    /// Starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// Advances and returns the new state.
    public mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }
}
