/// The deterministic mutation fuzzer the reader tests share: byte flips, deletions, insertions of bytes and of
/// interesting tokens (huge and negative numbers, non-finite values, separators, long runs of spaces), and
/// duplicated spans. Seeded, so every run mutates the same way.
public struct Mutator {
    /// Tokens worth inserting, besides random bytes.
    public var interesting: [[UInt8]]

    /// A mutator with the default tokens plus `extra` (e.g. a format's keywords).
    public init(extra: [String] = []) {
        interesting = (["9223372036854775807", "2147483647", "-1", "1e308", "-1e308", "nan", "inf", "0", ",", "\n", " ",
                        "\"", "1000000000000", "%%", ":", "{", "}", "[", "-", "'", "\u{FEFF}", "\t", "\0",
                        String(repeating: " ", count: 2_000)] + extra).map { Array($0.utf8) }
    }

    /// One to four mutations of `bytes`.
    public func mutate(_ bytes: [UInt8], _ rng: inout TestLCG) -> [UInt8] {
        var b = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !b.isEmpty: b[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1 where !b.isEmpty: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...8, using: &rng)))
            case 2: b.insert(contentsOf: interesting[Int.random(in: 0..<interesting.count, using: &rng)], at: at)
            case 3 where !b.isEmpty:
                let end = min(b.count, at + Int.random(in: 1...20, using: &rng))
                b.insert(contentsOf: b[at..<end], at: at)
            default: b.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            }
        }
        return b
    }

    /// Numbers that stress a reader where a number is expected.
    public static let numbers = ["0", "-1", "1e308", "-1e308", "1e-320", "nan", ".inf", "-.inf", "2147483647",
                                 "9223372036854775807", "1000000000000", "4611686018427387904", "0.5", "1", "2", "3",
                                 "100", "-0.999", "0.999999", "1e20", "1e38"]

    /// `text` with one to three of its numbers replaced by ``numbers`` — a mutation that keeps the syntax valid,
    /// so the checks behind the parser are reached.
    public func replaceNumbers(_ text: [UInt8], _ rng: inout TestLCG) -> [UInt8] {
        var starts: [Range<Int>] = []
        var i = 0
        while i < text.count {
            let isDigit = { (b: UInt8) in (48...57).contains(b) || b == UInt8(ascii: ".") }
            if isDigit(text[i]) {
                var j = i
                while j < text.count, isDigit(text[j]) { j += 1 }
                starts.append(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        guard !starts.isEmpty else { return text }
        var out = text
        for range in (0..<Int.random(in: 1...3, using: &rng)).map({ _ in starts[Int.random(in: 0..<starts.count, using: &rng)] })
            .sorted(by: { $0.lowerBound > $1.lowerBound }) where range.upperBound <= out.count
        {
            out.replaceSubrange(range, with: Array(Self.numbers[Int.random(in: 0..<Self.numbers.count, using: &rng)].utf8))
        }
        return out
    }
}
