public import FileSupport
import Linear
public import TrainingData

/// Which data training may use: opted-out users' interactions are left out (their consent column is 0), as are
/// listed users and the interactions with excluded items (data minimisation, e.g. sensitive categories).
///
/// Excluded users are removed before training, not merely emptied: they get no user factors (zero rows in the
/// model) and contribute nothing — not even their initial factors — to the item factors. So whatever their
/// interactions were, the item factors and every other user's factors are the same bit for bit.
///
/// ```swift
/// var selection = TrainingSelection()
/// selection.excludedItems = Set(sensitiveItems)
/// let (model, record) = try selection.train(data, with: ImplicitALS(configuration: configuration))
/// ```
public struct TrainingSelection: Sendable, Equatable {
    /// Whether training honours the data's consent column.
    public enum Consent: String, Codable, Sendable, CaseIterable {
        /// Opted-out users (consent 0) are left out entirely.
        case honour
        /// Everyone is trained on (to measure what consent costs the model).
        case ignore
    }

    /// What the model file records of the selection.
    public struct Record: Codable, Sendable, Equatable {
        /// The consent mode.
        public var consent: Consent
        /// Whether the data had a consent column (without one, nobody is left out for consent).
        public var hadConsentColumn: Bool
        /// Users left out because they opted out.
        public var optedOutUsers: Int
        /// Users left out because they were listed (`--exclude-users`).
        public var listedUsers: Int
        /// Listed user ids that the data does not have.
        public var listedUsersAbsent: Int
        /// The excluded item categories, by name (data minimisation).
        public var excludedCategories: [String]
        /// Interactions with excluded items dropped from the users who were trained on.
        public var droppedInteractions: Int
        /// The users trained on.
        public var trainedUsers: Int
    }

    /// The consent mode; ``Consent/honour`` by default.
    public var consent = Consent.honour
    /// Global user ids to leave out.
    public var excludedUsers: Set<Int> = []
    /// Item ids whose interactions are dropped.
    public var excludedItems: Set<Int> = []
    /// The names of the categories ``excludedItems`` came from, for the record.
    public var excludedCategories: [String] = []

    /// A selection that honours consent and excludes nothing else.
    public init() {}

    /// Whether the selection can change anything for `data` (otherwise the model records no selection).
    public func isActive(for data: InteractionData) -> Bool {
        (consent == .honour && data.column(.consent) != nil) || !excludedUsers.isEmpty || !excludedItems.isEmpty
    }

    /// The data training uses (for a holdout check before training): `data` itself when the selection changes
    /// nothing, else ``apply(to:)``'s selected data.
    public func selected(_ data: InteractionData) -> InteractionData {
        isActive(for: data) ? apply(to: data).data : data
    }

    /// The data training may use: the kept rows (in order) with excluded items' entries removed.
    ///
    /// - Returns: The selected data, the rows of `data` it keeps, and the record.
    public func apply(to data: InteractionData) -> (data: InteractionData, keptRows: [Int], record: Record) {
        let consentColumn = consent == .honour ? data.column(.consent)?.values : nil
        var optedOut = 0, listed = 0, dropped = 0
        var keptRows: [Int] = []
        let m = data.matrix
        var pointers = [0], columns: [Int32] = [], values: [Float] = []
        for row in 0..<data.users {
            if let consentColumn, consentColumn[row] == 0 { optedOut += 1; continue }
            if excludedUsers.contains(data.userIDs[row]) { listed += 1; continue }
            keptRows.append(row)
            for p in m.rowPointers[row]..<m.rowPointers[row + 1] {
                if excludedItems.contains(Int(m.columnIndices[p])) { dropped += 1; continue }
                columns.append(m.columnIndices[p])
                values.append(m.values[p])
            }
            pointers.append(columns.count)
        }
        let present = Set(data.userIDs)
        let selected = InteractionData(
            matrix: CSRMatrix(rows: keptRows.count, columns: m.columns, rowPointers: pointers, columnIndices: columns,
                              values: values),
            userIDs: keptRows.map { data.userIDs[$0] },
            userColumns: data.userColumns.map { column in UserColumn(role: column.role, values: keptRows.map { column.values[$0] }) },
            source: data.source)
        let record = Record(
            consent: consent, hadConsentColumn: data.column(.consent) != nil, optedOutUsers: optedOut,
            listedUsers: listed, listedUsersAbsent: excludedUsers.filter { !present.contains($0) }.count,
            excludedCategories: excludedCategories, droppedInteractions: dropped, trainedUsers: keptRows.count)
        return (selected, keptRows, record)
    }

    /// The data with every row kept but what the selection leaves out removed: excluded users' rows emptied and
    /// excluded items' entries dropped — for outputs whose rows must stay the data's users (a split's files, an
    /// evaluation), where ``apply(to:)`` would renumber them.
    /// Repeated-pair terms (``InteractionData/duplicates``) are kept only when nothing is left out.
    public func masked(_ data: InteractionData) -> (data: InteractionData, record: Record) {
        let (selected, keptRows, record) = apply(to: data)
        guard isActive(for: data) else { return (data, record) }
        let m = data.matrix, s = selected.matrix
        var pointers = [0], columns: [Int32] = [], values: [Float] = []
        columns.reserveCapacity(s.nonzeroCount)
        values.reserveCapacity(s.nonzeroCount)
        var next = 0
        for row in 0..<data.users {
            if next < keptRows.count, keptRows[next] == row {
                let entries = s.rowPointers[next]..<s.rowPointers[next + 1]
                columns.append(contentsOf: s.columnIndices[entries])
                values.append(contentsOf: s.values[entries])
                next += 1
            }
            pointers.append(columns.count)
        }
        var masked = data
        masked.matrix = CSRMatrix(rows: m.rows, columns: m.columns, rowPointers: pointers, columnIndices: columns,
                                  values: values)
        masked.duplicates = nil
        return (masked, record)
    }

    /// Trains `als` on the selected data and returns a model over all of `data`'s users, the left-out ones with
    /// zero factors, recording the selection (none when it changes nothing).
    ///
    /// - Throws: ``FairgroundError`` as ``ImplicitALS/train(_:threads:progress:)`` does, or when nobody, or no
    ///   interaction, is left to train on.
    public func train(_ data: InteractionData, with als: ImplicitALS, threads: Int = 1,
                      progress: (@Sendable (ImplicitALS.IterationReport) -> Void)? = nil)
        throws(FairgroundError) -> (model: FactorModel, reports: [ImplicitALS.IterationReport], record: Record?)
    {
        guard isActive(for: data) else {
            let (model, reports) = try als.train(data, threads: threads, progress: progress)
            return (model, reports, nil)
        }
        let (selected, keptRows, record) = apply(to: data)
        guard selected.users > 0 else {
            throw FairgroundError(file: data.source, field: "users",
                             expected: "at least one user left to train on after the selection",
                             found: "\(record.optedOutUsers) opted out, \(record.listedUsers) excluded by the list")
        }
        // A model trained on nothing is no model: its factors would be the initialisation's noise.
        guard !selected.matrix.values.isEmpty else {
            throw FairgroundError(file: data.source, field: "interactions",
                                  expected: "at least one interaction left to train on after the selection",
                                  found: "none: \(record.droppedInteractions) dropped with "
                                      + (record.excludedCategories.isEmpty ? "the excluded items"
                                          : record.excludedCategories.joined(separator: ", ")))
        }
        var (model, reports) = try als.train(selected, threads: threads, progress: progress)
        let k = model.factors
        var users = [Float](repeating: 0, count: data.users * k)
        for (i, row) in keptRows.enumerated() {
            for f in 0..<k { users[row * k + f] = model.userFactors.elements[i * k + f] }
        }
        model.userFactors = Matrix(rows: data.users, columns: k, elements: users)
        model.selection = record
        return (model, reports, record)
    }
}
