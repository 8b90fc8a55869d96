public import FileSupport
public import Linear
public import TrainingData

/// How the users of a training take part in each sweep and how their item-side contributions reach the solver —
/// the seam federated training plugs into (``ImplicitALS/rounds``), without the trainer knowing about clients,
/// sampling or secure aggregation.
///
/// With rounds, each sweep of ``ImplicitALS`` is one round:
/// 1. ``participants(of:context:)`` names the rows (users) that take part; only they solve their factors against
///    the current item factors; every other row keeps its factors and contributes nothing;
/// 2. the item statistics steps prepare the participants' factors (a private training clips each row, as its
///    client would);
/// 3. ``aggregate(contributions:userFactors:participants:rule:context:)`` returns only the *sum* of the
///    participants' contributions — their item statistics and their Gram matrix Σ x xᵀ;
/// 4. the steps act on that sum (noise, for differential privacy), and the items are solved from it.
///
/// With every row participating in every round and an exact sum, the factors are those of the aggregated item
/// side (``ItemSide/aggregated``) up to the order of the sums.
///
/// ```swift
/// var als = ImplicitALS(configuration: configuration)
/// als.rounds = myRounds   // e.g. Privacy's FederatedRounds
/// let (model, _) = try als.train(data)
/// ```
public protocol ClientRounds: Sendable {
    /// What a model file records of the rounds (the first of ``ALSConfiguration/itemStatisticsSteps``).
    var record: ItemStatisticsStepRecord { get }

    /// The rows of `data` that take part in the round `context.sweep`, in increasing order; must be identical on
    /// any thread count.
    func participants(of data: InteractionData, context: ItemStatisticsStepContext) -> [Int]

    /// The sum of the participants' contributions to the item side: Σ over `participants` of each row's item
    /// statistics (its entries of `contributions` with its row of `userFactors`) and of x xᵀ (row-major k × k).
    ///
    /// - Parameters:
    ///   - contributions: Users × items: what each user's data contributes to the item side.
    ///   - userFactors: Users × k, as the item side sees them (a step may have clipped them).
    ///   - participants: The rows of this round, in increasing order.
    /// - Throws: ``FairgroundError`` when the statistics cannot be formed (it ends the training).
    func aggregate(contributions: CSRMatrix<Float>, userFactors: Matrix<Float>, participants: [Int],
                   rule: FoldInRule, context: ItemStatisticsStepContext)
        throws(FairgroundError) -> (statistics: ItemStatistics, userGram: [Float])

    /// Whether an item with no positive interaction in the round's sum keeps its factors (rather than being solved
    /// from nothing), in a round of `participants` of `users`. The default is `false`.
    func keepsUntouchedItems(participants: Int, users: Int) -> Bool
}

extension ClientRounds {
    /// `false`: every item is solved from the round's sum.
    public func keepsUntouchedItems(participants: Int, users: Int) -> Bool { false }
}
