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
