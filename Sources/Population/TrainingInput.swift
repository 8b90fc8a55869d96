public import TrainingData
import FileSupport

/// Training data at a path, read the same way by every command that takes one: a directory written by
/// `fairground generate` (or `counterfactual`) — its record checked, its consent column attached, its categories at
/// hand for minimisation — or a `.mtx` / `.csv` interaction file.
///
/// Reading a generated directory any other way (``InteractionReader/read(path:)`` on its `interactions.mtx`)
/// loses the consent column, so a command would train on opted-out users' data; this type is the one way in.
///
/// ```swift
/// let input = try TrainingInput(path: "out/credit")
/// let data = input.data             // interactions with the consent column
/// let sensitive = input.directory?.sensitiveCategories ?? []
/// ```
public struct TrainingInput: Sendable {
    /// The path given.
    public let path: String
    /// The interactions, with the per-user columns the source provides (consent, for a generated directory whose
    /// spec has a consent attribute).
    public var data: InteractionData
    /// The generated directory, when `path` is one.
    public let directory: GeneratedDirectory?

    /// Reads `path`: a generated directory (factual or counterfactual) or an interaction file.
    ///
    /// - Throws: ``FairgroundError`` naming the file and field of anything malformed: a directory without its record or
    ///   whose files differ from it, an unreadable or malformed interaction or population file.
    public init(path: String) throws(FairgroundError) {
        self.path = path
        if FileIO.exists(path + "/.") {
            let directory = try GeneratedDirectory(path: path, counterfactual: true)
            self.directory = directory
            data = try directory.trainingData()
        } else {
            directory = nil
            data = try InteractionReader.read(path: path)
        }
    }

    /// What data minimisation leaves out: the items of `categories` and, when `sensitive` is set, of every
    /// category the spec marks `sensitive: true` (after the named ones, without repeats).
    ///
    /// - Returns: The item ids and the category names, in order (empty when nothing is asked for).
    /// - Throws: ``FairgroundError`` for the parameter `minimise` when `sensitive` is set and the path is not a
    ///   generated directory whose spec marks a category sensitive, and for `exclude-categories` when categories
    ///   are named for a bare interaction file (it has none) or a category is unknown.
    public func minimisation(categories: [String], sensitive: Bool) throws(FairgroundError)
        -> (items: Set<Int>, categories: [String])
    {
        var names = categories
        if sensitive {
            let marked = directory?.sensitiveCategories ?? []
            guard !marked.isEmpty else {
                throw FairgroundError.parameter("minimise", expected: "a generated directory whose spec marks categories "
                                           + "sensitive: true", found: directory == nil ? path : "none in \(path)")
            }
            names += marked.filter { !names.contains($0) }
        }
        guard !names.isEmpty else { return ([], []) }
        guard let directory else {
            throw FairgroundError.parameter("exclude-categories", expected: "a generated directory (its items' categories)",
                                       found: path)
        }
        return (try directory.items(inCategories: names), names)
    }
}
