@testable import FileSupport
import TestSupport
import Testing

/// RFC 4180 fields: whatever the text, encoding a record and splitting it again gives the same fields.
@Suite struct CSVFieldTests {
    @Test func fieldsRoundTrip() {
        let alphabet: [String] = ["a", ",", "\"", " ", "|", "é", "b", "\"\"", "\n", "\r\n", "🙂", "\u{301}"]
        var random = TestLCG(seed: 5)
        for _ in 0..<2000 {
            let fields = (0..<Int(random.next() % 4 + 1)).map { _ in
                (0..<Int(random.next() % 6)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
            }
            let line = fields.map(CSVField.encode).joined(separator: ",")
            #expect(CSVField.fields(of: line) == fields, "\(line)")
        }
        #expect(CSVField.encode("plain") == "plain" && CSVField.encode(#"a "b", c"#) == #""a ""b"", c""#)
        #expect(CSVField.fields(of: #""open"#) == nil && CSVField.fields(of: #""x"y"#) == nil)
    }

    /// Quoted exactly when a reader would otherwise split, join or trim the field; never otherwise.
    @Test func quotesOnlyWhatAReaderWouldMisread() {
        let cases: [(String, String)] = [
            ("", ""),
            ("female", "female"),
            ("a;b|c\td", "a;b|c\td"),        // other separators are plain text in RFC 4180
            ("inner space", "inner space"),
            ("é 東京 🙂", "é 東京 🙂"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""),
            ("line\nbreak", "\"line\nbreak\""),
            ("cr\rhere", "\"cr\rhere\""),
            ("crlf\r\n", "\"crlf\r\n\""),
            (" leading", "\" leading\""),
            ("trailing ", "\"trailing \""),
            (" ", "\" \""),
        ]
        for (field, encoded) in cases {
            #expect(CSVField.encode(field) == encoded, "\(field.debugDescription)")
            #expect(CSVField.needsQuotes(field) == (field != encoded), "\(field.debugDescription)")
            #expect(CSVField.fields(of: encoded) == [field], "\(encoded.debugDescription)")
        }
    }

    /// Splitting records: empty fields count, a quote inside an unquoted field is text, and a substring of a
    /// longer text splits like the string itself.
    @Test func splitsRecordsIntoFields() {
        #expect(CSVField.fields(of: "") == [""])
        #expect(CSVField.fields(of: ",") == ["", ""])
        #expect(CSVField.fields(of: ",,x,") == ["", "", "x", ""])
        #expect(CSVField.fields(of: "\"\"") == [""])
        #expect(CSVField.fields(of: "\"\",a") == ["", "a"])
        #expect(CSVField.fields(of: #"a"b,c"#) == [#"a"b"#, "c"])
        #expect(CSVField.fields(of: #"1,"x,y",3"#) == ["1", "x,y", "3"])
        #expect(CSVField.fields(of: "\"\"\"\"") == ["\""])
        let text = "id,name\n7,\"Smith, J\"\n"
        let second = text.split(separator: "\n")[1]
        #expect(CSVField.fields(of: second) == ["7", "Smith, J"])
    }

    /// A quoted field that is not closed, or is followed by anything but a comma, is refused, not guessed at.
    @Test func malformedQuotingIsRefused() {
        for line in [#""a"#, #""a"""#, #""a" ,b"#, #"x,"y"z"#, #""a"b""#, #"1,""#] {
            #expect(CSVField.fields(of: line) == nil, "\(line)")
        }
    }

    /// A leading or trailing space is tested as a `Character`, so a space that a combining mark joins (one
    /// grapheme, " \u{301}") is not seen and the field goes out unquoted, for a trimming reader to cut.
    @Test
    func aSpaceJoinedByACombiningMarkIsStillQuoted() {
        #expect(CSVField.needsQuotes(" \u{301}x"))
        #expect(CSVField.encode(" \u{301}x") == "\" \u{301}x\"")
    }
}
