@testable import FileSupport
import TestSupport
import Testing

/// The one error every stage throws: `file:line:column: field: expected …, found '…'`, `parameter NAME: …`, or
/// `path: reason` for a file the system could not read or write.
@Suite struct FairgroundErrorTests {
    @Test func describesFileLineColumnFieldAndWhatWasFound() {
        let full = FairgroundError(file: "credit.yaml", field: "attributes.age.sd", line: 12, column: 5,
                              expected: "a positive number", found: "-3")
        #expect(full.description == "credit.yaml:12:5: attributes.age.sd: expected a positive number, found '-3'")
        #expect(FairgroundError(file: "train.mtx", line: 17, expected: "a finite weight", found: "nan").description
                == "train.mtx:17: expected a finite weight, found 'nan'")
        #expect(FairgroundError(file: "p.yaml", field: "rules[0].metric", expected: "a metric").description
                == "p.yaml: rules[0].metric: expected a metric")
        // A column means nothing without its line.
        #expect(FairgroundError(file: "f.csv", column: 3, expected: "x").description == "f.csv: expected x")
        // An empty found is still shown: it says the value was empty.
        #expect(FairgroundError(file: "f.csv", expected: "a name", found: "").description == "f.csv: expected a name, found ''")
    }

    @Test func parametersAreNamedAsParameters() {
        let error = FairgroundError.parameter("targetShare", expected: "a share in (0, 1)", found: "1.5")
        #expect(error.location == .parameter("targetShare"))
        #expect(error.source == "targetShare" && error.line == nil && error.field.isEmpty)
        #expect(error.description == "parameter targetShare: expected a share in (0, 1), found '1.5'")
        let nested = FairgroundError.parameter("decisionRules", field: "loan", expected: "an offer")
        #expect(nested.description == "parameter decisionRules: loan: expected an offer")
    }

    /// Relocating changes only where the error is (a parameter shown as the flag that set it); the rest stays.
    @Test func relocationKeepsEverythingButTheLocation() {
        let error = FairgroundError.parameter("targetShare", expected: "a share in (0, 1)", found: "1.5")
        let flag = error.relocated(to: .file("--target-share"))
        #expect(flag.description == "--target-share: expected a share in (0, 1), found '1.5'")
        #expect(flag.source == "--target-share" && flag.expected == error.expected && flag.found == error.found)
        #expect(flag != error)
        #expect(flag.relocated(to: .parameter("targetShare")) == error)
        let inFile = FairgroundError(file: "a.yaml", field: "k", line: 2, column: 1, expected: "x")
        #expect(inFile.relocated(to: .file("b.yaml")).description == "b.yaml:2:1: k: expected x")
    }

    /// Equality covers every part, so tests can compare whole errors.
    @Test func equalityComparesEveryPart() {
        let base = FairgroundError(file: "f", field: "a", line: 1, column: 2, expected: "e", found: "x")
        var changed = [base, base, base, base, base, base]
        changed[0].field = "b"
        changed[1].line = 3
        changed[2].column = nil
        changed[3].expected = "other"
        changed[4].found = nil
        changed[5].location = .parameter("f")
        for c in changed { #expect(c != base, "\(c)") }
        #expect(FairgroundError(file: "f", field: "a", line: 1, column: 2, expected: "e", found: "x") == base)
    }

    /// The three kinds print as their readers need: a file failure as `path: reason`, a numerical one as the
    /// routine's parameter, bad input with expected and found; `reason` gives the system's words for a file.
    @Test func kindsPrintTheirPlaceAndReason() {
        let file = FairgroundError(path: "out/report.json", reason: "No space left on device")
        #expect(file.kind == .file && file.description == "out/report.json: No space left on device")
        #expect(file.reason == "No space left on device" && file.source == "out/report.json")
        let numerical = FairgroundError.numerical("potrf", expected: "a positive definite matrix", found: "order 2")
        #expect(numerical.kind == .numerical && numerical.location == .parameter("potrf"))
        #expect(numerical.description == "parameter potrf: expected a positive definite matrix, found 'order 2'")
        let input = FairgroundError(file: "p.yaml", field: "rules[0]", line: 3, expected: "a bound")
        #expect(input.kind == .input && input.reason == "expected a bound")
        #expect(input.description == "p.yaml:3: rules[0]: expected a bound")
    }

    /// The one helper for "read this file or fail with its name" says what the file should have been.
    @Test func readingAMissingFileNamesItAndWhatItShouldBe() {
        let path = temporaryPath("never-written.json")
        #expect { try FileIO.readBytes(path, expecting: "a readable cut-offs file") } throws: { error in
            let e = error as? FairgroundError
            return e?.kind == .input && e?.source == path && e?.field == "file"
                && e?.expected == "a readable cut-offs file" && e?.found == "No such file or directory"
        }
    }
}
