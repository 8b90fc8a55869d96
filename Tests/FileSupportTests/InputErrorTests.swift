@testable import FileSupport
import Testing

/// The one refusal every stage throws: `file:line:column: field: expected …, found '…'`, or `parameter NAME: …`.
@Suite struct InputErrorTests {
    @Test func describesFileLineColumnFieldAndWhatWasFound() {
        let full = InputError(file: "credit.yaml", field: "attributes.age.sd", line: 12, column: 5,
                              expected: "a positive number", found: "-3")
        #expect(full.description == "credit.yaml:12:5: attributes.age.sd: expected a positive number, found '-3'")
        #expect(InputError(file: "train.mtx", line: 17, expected: "a finite weight", found: "nan").description
                == "train.mtx:17: expected a finite weight, found 'nan'")
        #expect(InputError(file: "p.yaml", field: "rules[0].metric", expected: "a metric").description
                == "p.yaml: rules[0].metric: expected a metric")
        // A column means nothing without its line.
        #expect(InputError(file: "f.csv", column: 3, expected: "x").description == "f.csv: expected x")
        // An empty found is still shown: it says the value was empty.
        #expect(InputError(file: "f.csv", expected: "a name", found: "").description == "f.csv: expected a name, found ''")
    }

    @Test func parametersAreNamedAsParameters() {
        let error = InputError.parameter("targetShare", expected: "a share in (0, 1)", found: "1.5")
        #expect(error.location == .parameter("targetShare"))
        #expect(error.source == "targetShare" && error.line == nil && error.field.isEmpty)
        #expect(error.description == "parameter targetShare: expected a share in (0, 1), found '1.5'")
        let nested = InputError.parameter("decisionRules", field: "loan", expected: "an offer")
        #expect(nested.description == "parameter decisionRules: loan: expected an offer")
    }

    /// Relocating changes only where the error is (a parameter shown as the flag that set it); the rest stays.
    @Test func relocationKeepsEverythingButTheLocation() {
        let error = InputError.parameter("targetShare", expected: "a share in (0, 1)", found: "1.5")
        let flag = error.relocated(to: .file("--target-share"))
        #expect(flag.description == "--target-share: expected a share in (0, 1), found '1.5'")
        #expect(flag.source == "--target-share" && flag.expected == error.expected && flag.found == error.found)
        #expect(flag != error)
        #expect(flag.relocated(to: .parameter("targetShare")) == error)
        let inFile = InputError(file: "a.yaml", field: "k", line: 2, column: 1, expected: "x")
        #expect(inFile.relocated(to: .file("b.yaml")).description == "b.yaml:2:1: k: expected x")
    }

    /// Equality covers every part, so tests can compare whole errors.
    @Test func equalityComparesEveryPart() {
        let base = InputError(file: "f", field: "a", line: 1, column: 2, expected: "e", found: "x")
        var changed = [base, base, base, base, base, base]
        changed[0].field = "b"
        changed[1].line = 3
        changed[2].column = nil
        changed[3].expected = "other"
        changed[4].found = nil
        changed[5].location = .parameter("f")
        for c in changed { #expect(c != base, "\(c)") }
        #expect(InputError(file: "f", field: "a", line: 1, column: 2, expected: "e", found: "x") == base)
    }
}
