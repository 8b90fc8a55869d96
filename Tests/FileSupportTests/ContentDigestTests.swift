import Foundation
@testable import FileSupport
import TestSupport
import Testing

/// ``ContentDigest`` is XXH64: the digests of `digests.json`, computed by the reference `xxhash` library
/// (`make_digest_fixture.py`), for inputs fed at once and in random pieces.
@Suite struct ContentDigestTests {
    struct Fixture: Decodable {
        struct Row: Decodable {
            var length: Int
            var xxh64: String
        }
        var digests: [Row]
    }

    @Test func agreesWithTheReferenceLibraryHoweverTheBytesArrive() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/FileSupportTests/digests.json"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        #expect(fixture.digests.count > 100)
        var random = TestLCG(seed: 11)
        for row in fixture.digests {
            let bytes = (0..<row.length).map { UInt8(($0 * 31 + 7) % 256) }
            #expect(ContentDigest.of(bytes).hexadecimal == row.xxh64, "length \(row.length)")
            var pieces = ContentDigest()
            var offset = 0
            while offset < bytes.count {
                let n = min(bytes.count - offset, Int(random.next() >> 59))  // 0…31 bytes at a time
                pieces.update(Array(bytes[offset..<(offset + n)]))
                offset += n
            }
            #expect(pieces.hexadecimal == row.xxh64, "length \(row.length), in pieces")
        }
    }
}

/// RFC 4180 fields: whatever the text, encoding a record and splitting it again gives the same fields.
@Suite struct CSVFieldTests {
    @Test func fieldsRoundTrip() {
        let alphabet: [String] = ["a", ",", "\"", " ", "|", "é", "b", "\"\""]
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
}
