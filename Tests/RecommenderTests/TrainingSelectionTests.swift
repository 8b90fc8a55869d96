import Linear
@testable import Recommender
import TestSupport
import Testing
import TrainingData

/// Consent is honoured (issue 13, points 5, 6 and 8): opted-out users are left out of training entirely.
@Suite struct TrainingSelectionTests {
    /// The planted matrix with a consent column (every fourth user opted out) and its opted-out rows replaced by
    /// `rows(u)` — so two calls with different replacements differ only in opted-out users' data.
    func data(optedOutRows rows: (Int) -> [(Int, Float)]) -> InteractionData {
        let base = plantedMatrix()
        var triplets: [(row: Int, column: Int, value: Float)] = []
        for u in 0..<base.rows {
            if u % 4 == 1 {
                for (item, weight) in rows(u) { triplets.append((u, item, weight)) }
            } else {
                for p in base.rowPointers[u]..<base.rowPointers[u + 1] {
                    triplets.append((u, Int(base.columnIndices[p]), base.values[p]))
                }
            }
        }
        let consent = (0..<base.rows).map { Float($0 % 4 == 1 ? 0 : 1) }
        return InteractionData(matrix: CSRMatrix(rows: base.rows, columns: base.columns, triplets: triplets),
                               userColumns: [UserColumn(role: .consent, values: consent)])
    }

    /// The proof the issue asks for: replace or delete every opted-out user's interactions and retrain with the
    /// same seed — the item factors and every consenting user's factors are identical bit for bit, and the
    /// opted-out users have no factors (zero rows). With both solvers.
    @Test(arguments: [ALSConfiguration.Solver.cholesky, .conjugateGradient(steps: 3)])
    func optedOutUsersDataChangesNothing(solver: ALSConfiguration.Solver) throws {
        let als = ImplicitALS(configuration: configuration(solver, iterations: 4))
        let original = data { u in [(u % 60, 1), ((u * 7) % 60, 2)] }
        var random = TestLCG(seed: 3)
        let replaced = data { _ in (0..<12).map { _ in (Int(random.next() % 60), Float(random.next() % 5 + 1)) } }
        let deleted = data { _ in [] }
        let a = try TrainingSelection().train(original, with: als)
        for other in [replaced, deleted] {
            let b = try TrainingSelection().train(other, with: als)
            #expect(a.model.itemFactors.elements == b.model.itemFactors.elements)
            #expect(a.model.userFactors.elements == b.model.userFactors.elements)
        }
        let k = a.model.factors
        for u in 0..<original.users where u % 4 == 1 {
            #expect(a.model.userFactors.elements[(u * k)..<((u + 1) * k)].allSatisfy { $0 == 0 })
        }
        #expect(a.record == TrainingSelection.Record(
            consent: .honour, hadConsentColumn: true, optedOutUsers: 30, listedUsers: 0, listedUsersAbsent: 0,
            excludedCategories: [], droppedInteractions: 0, trainedUsers: 90))
        // Ignoring consent, the opted-out users' data is used: the item factors change.
        var ignore = TrainingSelection()
        ignore.consent = .ignore
        let c = try ignore.train(original, with: als), d = try ignore.train(replaced, with: als)
        #expect(c.record == nil && c.model.itemFactors.elements != d.model.itemFactors.elements)
    }

    /// Listed users and excluded items: left out, counted, and absent ids reported rather than ignored.
    @Test func listedUsersAndExcludedItemsAreLeftOutAndCounted() throws {
        var selection = TrainingSelection()
        selection.consent = .ignore
        selection.excludedUsers = [0, 2, 5000]
        selection.excludedItems = [0, 3]
        selection.excludedCategories = ["pharmacy"]
        let data = InteractionData(matrix: plantedMatrix())
        let (selected, kept, record) = selection.apply(to: data)
        #expect(kept.count == 118 && !kept.contains(0) && !kept.contains(2) && selected.userIDs == kept)
        #expect(!selected.matrix.columnIndices.contains(0) && !selected.matrix.columnIndices.contains(3))
        #expect(record.listedUsers == 2 && record.listedUsersAbsent == 1 && record.droppedInteractions > 0)
        let m = data.matrix
        let dropped = kept.reduce(0) { n, u in
            n + (m.rowPointers[u]..<m.rowPointers[u + 1]).filter { [0, 3].contains(m.columnIndices[$0]) }.count
        }
        #expect(record.droppedInteractions == dropped)
    }
}
