public import TrainingData
internal import Linear

extension World {
    /// The world's observed interactions as training data: one row per user (ids ``users``), one column per
    /// item of the catalogue, with a ``UserColumn/Role/consent`` column (1 consented, 0 opted out) when the spec
    /// has a consent attribute.
    ///
    /// - Parameter rows: The rows (0-based) to include, in order; `nil`: every user.
    public func interactionData(rows: [Int]? = nil) -> InteractionData {
        let t = interactions
        let source = "world \(spec.name) (seed \(seed))"
        let items = self.items?.count ?? 0
        let consent = spec.consentAttribute.map { a in attributeValues[a] }
        guard let rows else {
            return InteractionData(
                matrix: CSRMatrix(rows: userCount, columns: items, rowPointers: t.userOffsets, columnIndices: t.items,
                                  values: t.weights),
                userIDs: Array(users),
                userColumns: consent.map { c in [UserColumn(role: .consent, values: (0..<userCount).map { Float(c[$0]) })] }
                    ?? [],
                source: source)
        }
        var pointers = [0], columns: [Int32] = [], values: [Float] = []
        pointers.reserveCapacity(rows.count + 1)
        for r in rows {
            let entries = t.entries(row: r)
            columns.append(contentsOf: t.items[entries])
            values.append(contentsOf: t.weights[entries])
            pointers.append(columns.count)
        }
        return InteractionData(
            matrix: CSRMatrix(rows: rows.count, columns: items, rowPointers: pointers, columnIndices: columns,
                              values: values),
            userIDs: rows.map { users.lowerBound + $0 },
            userColumns: consent.map { c in [UserColumn(role: .consent, values: rows.map { Float(c[$0]) })] } ?? [],
            source: source)
    }
}
