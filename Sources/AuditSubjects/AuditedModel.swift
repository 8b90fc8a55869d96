public import Audit
import FileSupport
public import Linear
public import TrainingData

/// The model under audit: whatever turns a world's users — their interactions and their protected attributes —
/// into offer scores and recommendation lists.
///
/// ``ModelAudit`` asks it about the factual world and about every twin world, and knows nothing else of it. A
/// factor model folded in under a ``Recommender/FoldInRule`` is one implementation (``FoldedInFactorModel``);
/// an external model's score files are another (``ScoreFileModel``); imported factors and mitigated decision
/// rules are others.
///
/// A model that reads the protected attributes (``readsAttributes``) is asked about the naive flip too (the
/// attribute changed, nothing else); one that does not is known to score the naive flip like the factual user.
public protocol AuditedModel: Sendable {
    /// The number of items the model scores, checked against the world's catalogue; `nil` for a model that
    /// scores offers only.
    var items: Int? { get }
    /// Whether the protected attributes are inputs of the model.
    var readsAttributes: Bool { get }
    /// What the report's header says was audited.
    var card: ModelCard { get }

    /// Scores `users`.
    ///
    /// - Parameters:
    ///   - users: The users' interactions and protected attributes; only these rows are scored.
    ///   - offers: Each offer's item range; a user's offer score is their best score among its items.
    ///   - k: Recommendation list length.
    ///   - threads: Worker threads; the output must not depend on it.
    /// - Throws: ``FairgroundError`` when the model cannot score these users (e.g. no scores for this world).
    func output(for users: AuditedUsers, offers: [Range<Int>], k: Int, threads: Int) throws(FairgroundError) -> ModelOutput
}

extension AuditedModel {
    /// A card naming no hyper-parameters and no holdout check, for models that describe nothing more.
    public var card: ModelCard { ModelCard(kind: "a model under audit") }
}

/// Which world a model is asked about.
public enum AuditedWorld: Sendable, Equatable {
    /// The generated (factual) world.
    case factual
    /// Everyone's twin under `do(attribute = level)`, made as `kind` says (with `kept` mediators held).
    case counterfactual(attribute: String, level: String, kind: CounterfactualWorld.Kind, kept: [String])
}

/// The users a model under audit is asked about, in one world (factual, twin or naive flip).
public struct AuditedUsers: Sendable {
    /// Their interactions, one row per user.
    public var interactions: InteractionData
    /// Their protected attributes (each grouping's `membership` has one entry per row).
    public var attributes: [Grouping]
    /// The world they belong to.
    public var world: AuditedWorld

    /// Creates the input of a model.
    public init(interactions: InteractionData, attributes: [Grouping], world: AuditedWorld = .factual) {
        self.interactions = interactions
        self.attributes = attributes
        self.world = world
    }
}

/// What a model under audit returns for its users.
public struct ModelOutput: Sendable, Equatable {
    /// Offer scores, `users × offers`.
    public var scores: [Float]
    /// Top-K item lists, `users × k` (−1 pads short lists); `nil` for a model that only scores offers.
    public var lists: [Int32]?
    /// Rows (0-based, of this call's users) whose scores could not be computed as specified — e.g. a fold-in
    /// whose system was not positive definite — in increasing order; the audit reports them.
    public var unsolvedRows: [Int]
    /// The users' factors (`users × d`), for a model that represents users by factors: the privacy view probes
    /// what they reveal. `nil` for a model that has none.
    public var userFactors: Matrix<Float>?
    /// For a model that honours consent (asked about users with a consent column): the one list every opted-out
    /// user is served instead of their personalised one, built from none of their data. `nil` when opted-out
    /// users are served like everyone else. ``lists`` stays every user's personalised list (for opted-out users,
    /// what they would have been shown).
    public var optedOutList: [Int32]?

    /// Creates an output.
    public init(scores: [Float], lists: [Int32]?, unsolvedRows: [Int] = [], userFactors: Matrix<Float>? = nil,
                optedOutList: [Int32]? = nil) {
        self.scores = scores
        self.lists = lists
        self.unsolvedRows = unsolvedRows
        self.userFactors = userFactors
        self.optedOutList = optedOutList
    }
}
