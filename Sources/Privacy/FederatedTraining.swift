public import FileSupport
public import Linear
public import Recommender
public import TrainingData

/// Federated implicit ALS (simulated, exact): users are clients and the server holds the item factors.
///
/// Each sweep is a round. The server sends the item factors and their Gram matrix YᵀY to the round's clients; each
/// solves its own factor row locally (it never leaves the client) and uploads only its contribution to the item
/// side (``ClientUpload``: padded to one dense shape); secure aggregation (``SecureAggregation``) reveals only the
/// sum, from which the server solves the items. With every client in every round and no noise, the factors equal
/// central ALS with the aggregated item side and the same solver, up to the order of the sums.
///
/// **Participation.** A client takes part in round r with probability F·P_u: F is ``clientsPerRound``, P_u the
/// data's ``UserColumn/Role/participation`` column (1 without it) — e.g. people with older phones dropping out
/// more. The draw is a Philox block keyed by (seed, round, user id), so the participants are the same on any thread
/// count. A client that sits a round out keeps its factors and contributes nothing. An item no participant
/// interacted with in a partial round keeps its factors (the server sees a zero count in the sum), except when noise
/// is added: the counts are then not released.
///
/// **With differential privacy** (``plan(for:privacy:)``): each client bounds its contribution and clips its
/// row before uploading (``PrivateItemSide``'s budget and clip, applied row by row), and Gaussian noise is added
/// once, to the aggregate — central DP with secure aggregation, accounted by the same ``RDPAccountant`` as central
/// private training. Every round is accounted as a full release: the sampling is Poisson, but its amplification is
/// not claimed.
///
/// ```swift
/// let federated = try FederatedTraining(clientsPerRound: 0.5)
/// let plan = try federated.plan(for: configuration)
/// let (model, _) = try plan.trainer.train(data)
/// ```
public struct FederatedTraining: Sendable {
    /// The fraction F of clients sampled per round, in (0, 1].
    public var clientsPerRound: Double
    /// The participation rules as given (`ATTRIBUTE=LEVEL=P`), recorded beside the model; the probabilities
    /// themselves travel in the data's participation column.
    public var participation: [String]
    /// Server-side code shown each round's aggregate (and nothing else).
    public var observer: (any AggregateObserver)?

    /// Creates the parameters.
    ///
    /// - Throws: ``FairgroundError`` naming `clients-per-round` unless 0 < F ≤ 1.
    public init(clientsPerRound: Double = 1, participation: [String] = [], observer: (any AggregateObserver)? = nil)
        throws(FairgroundError)
    {
        guard clientsPerRound > 0, clientsPerRound <= 1 else {
            throw FairgroundError.parameter("clients-per-round", expected: "a fraction of clients in (0, 1]",
                                            found: "\(clientsPerRound)")
        }
        self.clientsPerRound = clientsPerRound
        self.participation = participation
        self.observer = observer
    }

    /// A federated training's trainer and, when private, its guarantee.
    public struct Plan: Sendable {
        /// The trainer, with ``FederatedRounds`` as its rounds (and the private item side as its step).
        public var trainer: ImplicitALS
        /// What the item factors promise, with differential privacy.
        public var guarantee: PrivacyGuarantee?
    }

    /// The trainer for `configuration`, private when `privacy` asks for a finite ε: the same plan as central
    /// private training — the same noise multiplier, clip, budget and accounting — with the rounds plugged in.
    ///
    /// - Throws: ``FairgroundError`` as ``PrivateTraining/plan(for:)``.
    public func plan(for configuration: ALSConfiguration, privacy: PrivateTraining? = nil) throws(FairgroundError)
        -> Plan
    {
        let central = try privacy?.plan(for: configuration)
        var trainer = central?.trainer ?? ImplicitALS(configuration: configuration)
        trainer.rounds = FederatedRounds(clientsPerRound: clientsPerRound, observer: observer,
                                         noisy: central != nil)
        return Plan(trainer: trainer, guarantee: central?.guarantee)
    }

    /// What the training of `data` with `trainer` did: the participants of every round and the bytes per client
    /// per round (the sparse sizes from the contributions the trainer's steps leave each user).
    ///
    /// - Throws: ``FairgroundError`` when a step cannot form the contributions.
    public func record(of data: InteractionData, trainer: ImplicitALS, threads: Int = 1) throws(FairgroundError)
        -> FederationRecord
    {
        let configuration = trainer.configuration
        let rounds = FederatedRounds(clientsPerRound: clientsPerRound, observer: nil, noisy: false)
        let participants = (0..<max(configuration.iterations, 0)).map { r in
            rounds.participants(of: data, context: ItemStatisticsStepContext(
                sweep: r + 1, seed: configuration.seed, users: data.users, threads: threads)).count
        }
        var contributions = data.matrix
        for step in trainer.itemStatisticsSteps {
            contributions = try step.contributions(of: contributions, seed: configuration.seed, threads: threads)
        }
        let k = configuration.factors
        var total = 0, largest = 0
        for u in 0..<contributions.rows {
            let bytes = ClientUpload.sparseBytes(touched: contributions.rowPointers[u + 1] - contributions.rowPointers[u],
                                                 factors: k)
            total += bytes
            largest = max(largest, bytes)
        }
        return FederationRecord(
            clientsPerRound: clientsPerRound, participation: participation, participantsPerRound: participants,
            downloadBytes: 4 * (data.items * k + k * (k + 1) / 2),
            uploadBytes: ClientUpload.paddedBytes(items: data.items, factors: k),
            sparseUploadBytesMean: contributions.rows == 0 ? 0 : Double(total) / Double(contributions.rows),
            sparseUploadBytesMax: largest, noisyAggregate: trainer.itemStatisticsSteps.contains { $0.perturbs })
    }
}

/// The rounds of federated ALS (``FederatedTraining``): seeded participation, client uploads, secure aggregation.
public struct FederatedRounds: ClientRounds {
    /// The fraction F of clients sampled per round.
    public let clientsPerRound: Double
    /// Server-side code shown each round's aggregate.
    let observer: (any AggregateObserver)?
    /// Whether noise is added to the aggregate (the server then keeps no item's factors for a zero count).
    let noisy: Bool

    init(clientsPerRound: Double, observer: (any AggregateObserver)?, noisy: Bool) {
        self.clientsPerRound = clientsPerRound
        self.observer = observer
        self.noisy = noisy
    }

    /// The model file's record: `federated` with the fraction per round.
    public var record: ItemStatisticsStepRecord {
        .init(name: "federated", parameters: ["clients_per_round": clientsPerRound])
    }

    /// Rows whose client takes part: a Philox uniform at (user id, round) below F·P_u.
    public func participants(of data: InteractionData, context: ItemStatisticsStepContext) -> [Int] {
        let probability = data.column(.participation)?.values
        if clientsPerRound >= 1, probability == nil { return Array(0..<data.users) }
        let philox = Philox(seed: context.seed)
        return (0..<data.users).filter { u in
            let p = clientsPerRound * Double(probability?[u] ?? 1)
            guard p < 1 else { return true }
            let block = philox.block(row: data.userIDs[u], column: context.sweep,
                                     stream: RandomStream.clientSampling.rawValue)
            return Philox.unitInterval(block.0, block.1) < p
        }
    }

    /// Each participant's upload, computed from its own row alone, summed by secure aggregation; the observer and
    /// the solver see only the sum. Clients compute their uploads in parallel, a batch at a time; the uploads are
    /// added in participant order, so the sum is identical on any thread count.
    public func aggregate(contributions: CSRMatrix<Float>, userFactors: Matrix<Float>, participants: [Int],
                          rule: FoldInRule, context: ItemStatisticsStepContext)
        throws(FairgroundError) -> (statistics: ItemStatistics, userGram: [Float])
    {
        let k = userFactors.columns
        var aggregation = try SecureAggregation(items: contributions.columns, factors: k)
        let batch = 256
        for start in stride(from: 0, to: participants.count, by: batch) {
            let clients = Array(participants[start..<min(start + batch, participants.count)])
            let uploads = ParallelBlocks.map(count: clients.count, threads: context.threads) { j in
                let u = clients[j], entries = contributions.rowPointers[u]..<contributions.rowPointers[u + 1]
                return ClientUpload(factors: Array(userFactors.elements[(u * k)..<((u + 1) * k)]),
                                    items: Array(contributions.columnIndices[entries]),
                                    weights: Array(contributions.values[entries]), rule: rule)
            }
            for upload in uploads { aggregation.add(upload) }
        }
        let total = aggregation.sum()
        observer?.observe(total, round: context.sweep)
        return (total.statistics, total.userGram)
    }

    /// Whether the server keeps the factors of items no participant touched (partial rounds without noise).
    public func keepsUntouchedItems(participants: Int, users: Int) -> Bool { !noisy && participants < users }
}
