import Audit
@testable import AuditSubjects
import FileSupport
import Foundation
import Linear
import Testing
import TrainingData

@Suite("Score files of external models")
struct ScoreAuditTests {
    @Test("Score files: every user and offer exactly once, finite scores, line numbers in errors",
          arguments: [
            ("user_id,offer,score\n0,a,1\n0,b,2\n1,a,3\n1,b,nan\n", "s.csv:5: score: expected a finite number within single precision (|score| < 3.4e38), found 'nan'"),
            ("user_id,offer,score\n0,a,1\n0,c,2\n", "s.csv:3: offer: expected an offer of the world (a, b), found 'c'"),
            ("user_id,offer,score\n0,a,1\n7,a,2\n", "s.csv:3: user_id: expected a user id of the world (0…1), found '7'"),
            ("user_id,offer,score\n0,a,1\n0,a,2\n", "s.csv:3: row: expected one score per user and offer"),
            ("user_id,offer,score\n0,a,1\n0,b,2\n1,a,3\n", "s.csv: rows: expected a score for every user and offer, found 'none for user 1, b'"),
            ("user,offer,score\n", "s.csv:1: header: expected user_id,offer,score"),
            ("user_id,offer,score\n0,a\n", "s.csv:2: row: expected 3 fields, found '2'"),
          ])
    func scoreFiles(_ text: String, _ message: String) throws {
        let path = temporaryDirectory("scores-\(abs(message.hashValue))") + "/s.csv"
        try writeFile(text, path)
        do {
            _ = try ScoreAudit.read(path: path, users: 0..<2, offers: ["a", "b"])
            Issue.record("accepted")
        } catch {
            #expect(error.description.replacingOccurrences(of: path, with: "s.csv").hasPrefix(message),
                    "\(error.description)")
        }
    }

    @Test("A valid score file fills the users × offers table")
    func scoreFile() throws {
        let path = temporaryDirectory("scores") + "/ok.csv"
        try writeFile("user_id,offer,score\r\n11,b,2.5\r\n10,a,-1\r\n10,b,0\r\n11,a,1e-3\r\n", path)
        #expect(try ScoreAudit.read(path: path, users: 10..<12, offers: ["a", "b"]) == [-1, 0, 0.001, 2.5])
    }
}

/// Score files as the model under audit.
@Suite struct ScoreFileModelTests {
    /// Each test's own files (the suite's tests run in parallel).
    func files(_ test: String = #function) throws -> (String, String) {
        let directory = temporaryDirectory("score-model-" + test.filter { $0.isLetter })
        let factual = directory + "/f.csv", twin = directory + "/t.csv"
        try writeFile("user_id,offer,score\n10,a,1\n10,b,2\n11,a,3\n11,b,4\n", factual)
        try writeFile("user_id,offer,score\n10,a,5\n10,b,6\n11,a,7\n11,b,8\n", twin)
        return (factual, twin)
    }

    func users(_ ids: [Int], _ world: AuditedWorld) -> AuditedUsers {
        let m = CSRMatrix<Float>(rows: ids.count, columns: 4, triplets: [])
        return AuditedUsers(interactions: InteractionData(matrix: m, userIDs: ids),
                            attributes: [Grouping(name: "g", levels: ["x", "y"], membership: ids.map { _ in 0 })],
                            world: world)
    }

    /// Each world's rows come from its own file, by global user id; a world without a file is refused.
    @Test func answersFromTheFileOfEachWorld() throws {
        let (f, t) = try files()
        let model = try ScoreFileModel(users: 10..<12, offers: ["a", "b"], factual: f,
                                       twins: [.init(assignment: "g=y", path: t)])
        #expect(model.items == nil && model.readsAttributes)
        #expect(try model.output(for: users([11, 10], .factual), offers: [0..<2, 2..<4], k: 1, threads: 1).scores
                == [3, 4, 1, 2])
        let twin = AuditedWorld.counterfactual(attribute: "g", level: "y", kind: .total, kept: [])
        #expect(try model.output(for: users([11], twin), offers: [0..<2, 2..<4], k: 1, threads: 1).scores == [7, 8])
        let naive = AuditedWorld.counterfactual(attribute: "g", level: "y", kind: .naive, kept: [])
        #expect(throws: FairgroundError.self) { try model.output(for: users([10], naive), offers: [0..<2, 2..<4], k: 1, threads: 1) }
    }

    @Test func twoFilesForOneWorldAreRefused() throws {
        let (f, t) = try files()
        #expect(throws: FairgroundError.self) {
            try ScoreFileModel(users: 10..<12, offers: ["a", "b"], factual: f,
                               twins: [.init(assignment: "g=y", path: t), .init(assignment: "g=y", path: t)])
        }
    }
}
