/// One value per user that travels with the training data: whether they consented, how much their rows weigh,
/// which client (device, shard) holds them, how likely that client is to take part in a federated round.
public struct UserColumn: Sendable, Equatable {
    /// What the column means to a model.
    public enum Role: String, Sendable, Equatable, CaseIterable {
        /// 1: the user agreed to personalised use of their data; 0: they opted out.
        case consent
        /// A non-negative weight of the user's rows.
        case sampleWeight = "sample_weight"
        /// The client (device or shard) that holds the user's data, as a whole number.
        case client
        /// The probability, in [0, 1], that the user's client takes part in a round of federated training.
        case participation
    }

    /// The role.
    public var role: Role
    /// One value per row of the training data.
    public var values: [Float]

    /// Creates a column.
    public init(role: Role, values: [Float]) {
        self.role = role
        self.values = values
    }
}
