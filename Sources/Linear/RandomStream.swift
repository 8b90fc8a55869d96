/// The registry of Fairground's random streams: every draw of every module is a ``Philox`` block at
/// `(row, column, stream)` with one of these streams (attempt counters may use bits 8–30 and bit 31 above the
/// stream number, as the Ziggurat sampler does), or — for the two recommender streams — a counter hash of the
/// same kind of key. A new mechanism (DP noise, client sampling) adds a case here; nothing draws from an
/// unregistered number, so no two uses can collide and every draw stays a function of (seed, stream, row,
/// column), identical on any thread count.
///
/// Never renumber a case: files and reports written before would change.
public enum RandomStream: UInt32, Sendable, CaseIterable {
    /// Exogenous noise `u` of the latent attributes, per user and attribute (Population).
    case attributeNoise = 1
    /// Latent taste vectors of users, per user and dimension (Population).
    case userTaste = 2
    /// Latent taste vectors of items, per item and dimension (Population).
    case itemTaste = 3
    /// Item popularity ranks (Population).
    case itemPopularity = 4
    /// Interaction counts, per user (Population).
    case interactionCount = 5
    /// Per-user, per-category taste deviations (Population).
    case categoryTaste = 6
    /// Interaction draws, per user and draw; attempts in the high bits (Population).
    case interactionDraw = 7
    /// Ratings-mode observation and rating draws, per user and item (Population).
    case ratingDraw = 8
    /// The order in which a category's items are dealt into genres, per item (Population).
    case itemGenre = 9
    /// Per-user, per-genre taste deviations (Population).
    case genreTaste = 10
    /// The Gaussian noise of differentially private training, per item (row −1: the Gram matrix) and pair of
    /// draws; the sweep in bits 8–30 (sweep 0: the item counts released before the first sweep) (Privacy).
    case privateTrainingNoise = 11
    /// Which of a user's items count toward their budget in private training, per user and item (Privacy,
    /// counter hash keyed by the seed XOR this number).
    case contributionBudget = 0xB0D6
    /// Initial factors of ALS, per row and column (Recommender, counter hash keyed by the seed and the side:
    /// 1 users, 2 items, each times 0xD1B54A32D192ED03).
    case factorInitialization = 0x1F0
    /// Which of a user's interactions a holdout split keeps, per user and item (Recommender, counter hash keyed
    /// by the seed XOR this number).
    case holdoutSplit = 0x5EED_5EED
    /// The hyper-parameters of each trial of a tuning search, per trial and parameter (Recommender, counter hash
    /// keyed by the seed XOR this number).
    case hyperparameterSearch = 0x7E5
    /// Rank keys that break ties between equal scores, per user (Audit).
    case tieBreak = 0x71E
    /// Poisson bootstrap weights, per user and replicate block (Audit).
    case bootstrap = 0xB007
    /// The cross-fitting folds of the inference probes, per user (Audit, counter hash keyed by the seed XOR this
    /// number).
    case probeFolds = 0xF01D
    /// Which users a membership attack samples and which half of them calibrates its threshold, per user id
    /// (Privacy, counter hash keyed by the seed XOR this number).
    case membershipSample = 0xA77C
    /// Which clients take part in each round of federated training: a Philox block at (row: user id, column: round)
    /// (Privacy).
    case clientSampling = 0xC11E
}
