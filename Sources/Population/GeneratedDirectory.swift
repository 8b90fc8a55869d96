import FileSupport
/// A directory written by ``WorldWriter``, opened again to regenerate its world or a counterfactual twin of it.
///
/// Abduction needs no inference here: each person's exogenous noise is a function of the seed and their id, both
/// recorded in the manifest together with the spec's text.
///
/// ```swift
/// let factual = try GeneratedDirectory(path: "out/credit")
/// let twin = factual.generate(intervention: try factual.intervention(set: ["gender=male"]), threads: 2)
/// ```
public struct GeneratedDirectory: Sendable {
    /// The directory path.
    public let path: String
    /// Its manifest.
    public let manifest: Manifest
    /// The spec embedded in the manifest.
    public let spec: PopulationSpec
    /// A generator with the manifest's seed and repair choice.
    public let generator: Generator

    /// Opens a generated directory.
    ///
    /// - Parameter counterfactual: Whether a counterfactual world is accepted too (to read its training data; twins
    ///   are made from the factual one only).
    /// - Throws: ``FairgroundError`` when the manifest is missing or malformed, or the directory already holds a
    ///   counterfactual world and `counterfactual` is `false`.
    public init(path: String, counterfactual: Bool = false) throws(FairgroundError) {
        self.path = path
        try DirectoryRecord.verify(directory: path)
        manifest = try Manifest.read(directory: path)
        if manifest.intervention != nil && !counterfactual {
            throw FairgroundError(file: path + "/manifest.json", field: "intervention",
                            expected: "a factual world (this directory is already a counterfactual one)")
        }
        spec = try manifest.spec(directory: path)
        generator = try Generator(spec: spec, seed: manifest.seed, repairCorrelations: manifest.repairCorrelations)
    }

    /// The users the directory holds.
    public var users: Range<Int> { manifest.firstUser..<(manifest.firstUser + manifest.users) }

    /// Parses `attribute=value` assignments and mediators against the directory's spec.
    public func intervention(set assignments: [String], keep: [String] = []) throws(FairgroundError) -> Intervention {
        try Intervention(spec: spec, assignments: assignments, keep: keep)
    }

    /// Refuses to write a counterfactual world over this factual one.
    ///
    /// - Throws: ``FairgroundError`` for the parameter `out` when `path` is this directory.
    public func checkOutput(_ path: String) throws(FairgroundError) {
        if FileIO.isSame(path, self.path) {
            throw FairgroundError.parameter("out", expected: "a directory other than the factual world's \(self.path) "
                                       + "(writing twins there would replace the factual world)", found: path)
        }
    }

    /// Regenerates the directory's users, factually (`intervention == nil`) or under an intervention.
    ///
    /// - Parameter factual: This directory's factual world, when at hand, to copy the unchanged twins from.
    public func generate(intervention: Intervention?, threads: Int = 1, progress: (@Sendable (Int) -> Void)? = nil,
                         reusing factual: World? = nil) -> World
    {
        generator.generate(users: users, intervention: intervention, threads: threads, progress: progress,
                           reusing: factual)
    }
}
