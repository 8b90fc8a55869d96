import Foundation
@testable import Audit
import FileSupport
@testable import Report
import TestSupport
import Testing

/// `decisions.csv`: its header (names with commas and quotes quoted), one row per user with factual and twin
/// scores and decisions, and the same bytes whatever the thread count.
@Suite struct DecisionsTableTests {
    let gender = Grouping(name: "gender", levels: ["f", "m, other"], membership: [0, 1, 0])
    let region = Grouping(name: "region \"R\"", levels: ["north", "south"], membership: [1, 0, 0])

    func table(worlds: [CounterfactualWorld], consent: [Bool]? = nil) -> DecisionsTable {
        var data = AuditData(userIDs: [10, 11, 12], attributes: [gender, region], offers: ["loan", "card,gold"],
                             scores: [0.5, 0.25, 1, -2, 0.125, 3], counterfactuals: worlds)
        if let consent { data.privacy = PrivacyData(consent: consent, consentAttribute: "consent") }
        let result = AuditResult(report: ReportFixture.report(findings: []),
                                 targeted: [true, false, false, true, false, true],
                                 twinTargeted: worlds.indices.map { w in (0..<6).map { ($0 + w) % 2 == 0 } })
        return DecisionsTable(result: result, data: data)
    }

    func twin(_ attribute: Int, _ level: Int, _ kind: CounterfactualWorld.Kind, kept: [String] = []) -> CounterfactualWorld {
        CounterfactualWorld(attribute: attribute, level: level, kind: kind, kept: kept, scores: [1.5, 0, -1, 2, 0.75, 4])
    }

    @Test func worldsAreLabelledByKind() {
        let attributes = [gender, region]
        #expect(DecisionsTable.worldLabel(twin(0, 1, .total), attributes) == "gender=m, other")
        #expect(DecisionsTable.worldLabel(twin(1, 0, .naive), attributes) == "naive:region \"R\"=north")
        #expect(DecisionsTable.worldLabel(twin(0, 0, .pathSpecific, kept: ["income", "zip"]), attributes)
                == "gender=f|keep:income+zip")
    }

    /// Every column name is one CSV field: those with commas or quotes are quoted, quotes doubled.
    @Test func headerQuotesNamesWithCommasAndQuotes() throws {
        let header = table(worlds: [twin(0, 1, .total), twin(1, 0, .naive)]).header
        #expect(header == "user_id,gender,\"region \"\"R\"\"\",loan.score,loan.targeted,"
                + "\"loan.twin_score[gender=m, other]\",\"loan.twin_targeted[gender=m, other]\","
                + "\"loan.twin_score[naive:region \"\"R\"\"=north]\",\"loan.twin_targeted[naive:region \"\"R\"\"=north]\","
                + "\"card,gold.score\",\"card,gold.targeted\","
                + "\"card,gold.twin_score[gender=m, other]\",\"card,gold.twin_targeted[gender=m, other]\","
                + "\"card,gold.twin_score[naive:region \"\"R\"\"=north]\","
                + "\"card,gold.twin_targeted[naive:region \"\"R\"\"=north]\"\n")
        let fields = try #require(CSVField.fields(of: header.dropLast()))
        #expect(fields.count == 15 && fields[2] == "region \"R\"" && fields[9] == "card,gold.score")
    }

    @Test func rowsHoldScoresDecisionsAndQuotedLevels() {
        let rows = String(decoding: table(worlds: [twin(0, 1, .total)]).format(rows: 0..<3), as: UTF8.self)
        #expect(rows == """
            10,f,south,0.5,1,1.5,1,0.25,0,0.0,0
            11,"m, other",north,1.0,0,-1.0,1,-2.0,1,2.0,0
            12,f,north,0.125,0,0.75,1,3.0,1,4.0,0

            """)
        #expect(String(decoding: table(worlds: []).format(rows: 1..<2), as: UTF8.self) == "11,\"m, other\",north,1.0,0,-2.0,1\n")
        #expect(table(worlds: []).format(rows: 0..<0).isEmpty)
    }

    /// With a consent attribute, each user's eligibility follows the attributes.
    @Test func consentAddsTheEligibilityColumn() {
        let t = table(worlds: [], consent: [true, false, true])
        #expect(t.header.hasPrefix("user_id,gender,\"region \"\"R\"\"\",eligible_for_personalisation,loan.score,"))
        #expect(String(decoding: t.format(rows: 0..<3), as: UTF8.self)
                == "10,f,south,1,0.5,1,0.25,0\n11,\"m, other\",north,0,1.0,0,-2.0,1\n12,f,north,1,0.125,0,3.0,1\n")
    }

    /// Thousands of users in several chunks: the file is the header and the rows in order for any thread count.
    @Test func bytesDoNotDependOnTheThreadCount() throws {
        let users = 5_000
        var random = TestLCG(seed: 3)
        let levels = Grouping(name: "group", levels: ["a", "b,c", "d"], membership: (0..<users).map { _ in Int32(random.next() % 3) })
        let scores = (0..<users).map { _ in Float(random.next() >> 40) / Float(1 << 24) }
        let twin = CounterfactualWorld(attribute: 0, level: 1, kind: .total, scores: scores.map { $0 * 0.5 })
        let data = AuditData(userIDs: Array(100..<(100 + users)), attributes: [levels], offers: ["loan"], scores: scores,
                             counterfactuals: [twin])
        let result = AuditResult(report: ReportFixture.report(findings: []), targeted: scores.map { $0 > 0.9 },
                                 twinTargeted: [scores.map { $0 > 0.8 }])
        let table = DecisionsTable(result: result, data: data)
        var files: [[UInt8]] = []
        for threads in [1, 2, 3, 7] {
            let d = temporaryPath("decisions-\(threads)")
            try? FileManager.default.removeItem(atPath: d)
            let output = try StagedOutput(directory: d)
            let file = try output.open("decisions.csv")
            try table.write(to: file, threads: threads)
            try file.close()
            try output.commit()
            files.append(try FileIO.readBytes(d + "/decisions.csv"))
        }
        #expect(files.allSatisfy { $0 == files[0] })
        #expect(files[0] == Array(table.header.utf8) + table.format(rows: 0..<users))
        let lines = String(decoding: files[0], as: UTF8.self).split(separator: "\n")
        #expect(lines.count == users + 1)
        #expect(lines[1].hasPrefix("100,") && lines[users].hasPrefix("\(99 + users),"))
        #expect(lines.dropFirst().allSatisfy { CSVField.fields(of: $0)?.count == 6 })
    }
}
