@testable import FileSupport
import Testing

/// The JSON every stage writes: sorted keys whatever the declaration order, an optional final newline, snake_case
/// on request, and a thrown error naming the output when a value has no JSON form.
@Suite struct JSONOutputTests {
    struct Sample: Codable, Equatable {
        var zeta: Int
        var alphaBeta: String
        var ratio: Double
        var tags: [String]
    }

    let sample = Sample(zeta: 3, alphaBeta: "é \"q\" 🙂", ratio: 0.25, tags: ["b", "a"])

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func compactOutputHasSortedKeysAndNoNewline() throws {
        let bytes = try JSONOutput.bytes(sample, pretty: false, what: "x.json")
        #expect(text(bytes) == #"{"alphaBeta":"é \"q\" 🙂","ratio":0.25,"tags":["b","a"],"zeta":3}"#)
    }

    @Test func snakeCaseConvertsKeysAndStillSortsThem() throws {
        let bytes = try JSONOutput.bytes(sample, pretty: false, snakeCase: true, what: "x.json")
        #expect(text(bytes) == #"{"alpha_beta":"é \"q\" 🙂","ratio":0.25,"tags":["b","a"],"zeta":3}"#)
    }

    /// Pretty output is one key per line and ends with a newline; both forms decode to the same value.
    @Test func prettyOutputEndsWithANewlineAndRoundTrips() throws {
        let pretty = try JSONOutput.bytes(sample, what: "x.json")
        #expect(pretty.last == UInt8(ascii: "\n"))
        #expect(text(pretty) == """
            {
              "alphaBeta" : "é \\"q\\" 🙂",
              "ratio" : 0.25,
              "tags" : [
                "b",
                "a"
              ],
              "zeta" : 3
            }

            """)
        #expect(try JSONInput.decode(Sample.self, from: pretty) == sample)
        let snake = try JSONOutput.bytes(sample, snakeCase: true, what: "x.json")
        #expect(try JSONInput.decode(Sample.self, from: snake, snakeCase: true) == sample)
    }

    /// The same value gives the same bytes however it was built (dictionaries included).
    @Test func outputIsByteStable() throws {
        var a: [String: Int] = [:], b: [String: Int] = [:]
        for i in 0..<50 { a["k\(i)"] = i }
        for i in (0..<50).reversed() { b["k\(i)"] = i }
        #expect(try JSONOutput.bytes(a, what: "a") == JSONOutput.bytes(b, what: "b"))
    }

    /// NaN and infinities have no JSON form: the error names the output, never an empty file.
    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteNumbersAreRefusedNamingTheOutput(_ value: Double) {
        let bad = Sample(zeta: 1, alphaBeta: "", ratio: value, tags: [])
        #expect {
            _ = try JSONOutput.bytes(bad, what: "out/report.json")
        } throws: { error in
            guard let error = error as? FairgroundError else { return false }
            return error.source == "out/report.json" && error.reason.hasPrefix("could not be encoded as JSON (")
        }
    }

    /// A document that does not match the type is the decoder's error, not a default value.
    @Test func decodingAMismatchedDocumentThrows() throws {
        #expect(throws: DecodingError.self) {
            _ = try JSONInput.decode(Sample.self, from: Array(#"{"zeta":"three"}"#.utf8))
        }
        // snake_case keys are found only when asked for.
        let snake = Array(#"{"alpha_beta":"x","ratio":1,"tags":[],"zeta":0}"#.utf8)
        #expect(throws: DecodingError.self) { _ = try JSONInput.decode(Sample.self, from: snake) }
        #expect(try JSONInput.decode(Sample.self, from: snake, snakeCase: true).alphaBeta == "x")
    }
}
