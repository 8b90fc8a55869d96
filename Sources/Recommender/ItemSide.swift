/// How the item half of each ALS sweep is computed.
public enum ItemSide: String, Sendable, Equatable, Codable, CaseIterable {
    /// Each item's row of the transposed matrix is solved against the user factors (the configured solver; the
    /// fast default).
    case direct
    /// Every user's contributions are aggregated into ``ItemStatistics``, the trainer's
    /// ``ImplicitALS/itemStatisticsSteps`` act on them, and each item is solved exactly from them — the form private
    /// and federated training build on (without steps, results equal the exact direct solve up to rounding).
    case aggregated
}
