import Audit
import FileSupport
import Foundation
import Testing

@Suite("Score files of external models")
struct ScoreAuditTests {
    @Test("Score files: every user and offer exactly once, finite scores, line numbers in errors",
          arguments: [
            ("user_id,offer,score\n0,a,1\n0,b,2\n1,a,3\n1,b,nan\n", "s.csv:5: score: expected a finite number, found 'nan'"),
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
