/// Figures quoted in prose, read back as numbers so that two texts can be compared within a tolerance.
///
/// A walk-through quotes the figures of the run it was written on; a figure that comes from a trained model or
/// from BLAS differs in its last digits on another CPU (OpenBLAS picks its kernels by CPU), so a test compares such
/// a sentence by its numbers, each within a stated tolerance, and by its words exactly.
///
/// A template is the sentence with `{}` where each number stands: `"others {}%"`. A number is written as the
/// reports write them: optional sign, digits, optional decimals, optional exponent (`7.6e-5`).
public enum QuotedFigures {
    /// The numbers of the first place in `text` (read with its whitespace runs as single spaces) that matches
    /// `template`, or `nil` when none does.
    public static func numbers(in text: String, template: String) -> [Double]? {
        let flat = Array(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " "))
        let parts = template.split(separator: "{}", omittingEmptySubsequences: false).map(Array.init)
        guard let first = parts.first else { return nil }
        var start = 0
        while start <= flat.count - first.count {
            if let values = match(flat, at: start, parts: parts) { return values }
            start += 1
        }
        return nil
    }

    /// Whether `text` and `reference` both quote `template` and each of their numbers differs by at most
    /// `tolerance`; otherwise a description of what differs.
    public static func compare(_ text: String, _ reference: String, template: String, tolerance: Double) -> String? {
        guard let a = numbers(in: text, template: template) else { return "not found in the run's text: \(template)" }
        guard let b = numbers(in: reference, template: template) else { return "not quoted: \(template)" }
        for (x, y) in zip(a, b) where !(abs(x - y) <= tolerance) {
            return "\(template): \(a) against the quoted \(b) (tolerance \(tolerance))"
        }
        return nil
    }

    private static func match(_ text: [Character], at start: Int, parts: [[Character]]) -> [Double]? {
        var i = start
        var values: [Double] = []
        for (n, literal) in parts.enumerated() {
            guard i + literal.count <= text.count, Array(text[i..<(i + literal.count)]) == literal else { return nil }
            i += literal.count
            guard n < parts.count - 1 else { break }
            guard let (value, end) = number(text, from: i) else { return nil }
            values.append(value)
            i = end
        }
        return values
    }

    /// The number starting at `i`, and where it ends.
    private static func number(_ text: [Character], from i: Int) -> (Double, Int)? {
        var j = i
        if j < text.count, text[j] == "-" || text[j] == "+" { j += 1 }
        let digitsStart = j
        while j < text.count, text[j].isASCII, text[j].isNumber || text[j] == "." { j += 1 }
        guard j > digitsStart else { return nil }
        // A sentence's full stop is not a decimal point.
        while j > digitsStart + 1, text[j - 1] == "." { j -= 1 }
        if j + 1 < text.count, text[j] == "e" || text[j] == "E" {
            var k = j + 1
            if k < text.count, text[k] == "-" || text[k] == "+" { k += 1 }
            let expStart = k
            while k < text.count, text[k].isASCII, text[k].isNumber { k += 1 }
            if k > expStart { j = k }
        }
        return Double(String(text[i..<j])).map { ($0, j) }
    }
}
