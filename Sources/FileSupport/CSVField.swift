/// A CSV field as RFC 4180 writes it: quoted when it holds a comma, a double quote, a line break or leading or
/// trailing spaces (which readers would trim), with each double quote doubled; otherwise as it is. So level,
/// category and rule names round-trip through `population.csv`, `items.csv`, `truth.csv` and `decisions.csv`.
public enum CSVField {
    /// Whether `field` must be quoted.
    public static func needsQuotes(_ field: String) -> Bool {
        field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || field.unicodeScalars.first == " " || field.unicodeScalars.last == " "
    }

    /// `field`, quoted when it must be.
    public static func encode(_ field: String) -> String {
        guard needsQuotes(field) else { return field }
        var out = "\""
        for c in field.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }

    /// The fields of one CSV record (a line without its line break), unquoting RFC 4180 fields; `nil` when a
    /// quoted field is not closed or is followed by anything but a comma.
    public static func fields(of line: some StringProtocol) -> [String]? {
        var fields: [String] = []
        var field = ""
        var scalars = line.unicodeScalars.makeIterator()
        var quoted = false, wasQuoted = false
        while let c = scalars.next() {
            if quoted {
                if c == "\"" {
                    guard let next = scalars.next() else { quoted = false; break }
                    if next == "\"" { field.unicodeScalars.append("\""); continue }
                    guard next == "," else { return nil }
                    quoted = false
                    fields.append(field)
                    field = ""
                    wasQuoted = false
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "," {
                fields.append(field)
                field = ""
                wasQuoted = false
            } else if c == "\"" && field.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else {
                field.unicodeScalars.append(c)
            }
        }
        guard !quoted else { return nil }
        fields.append(field)
        return fields
    }
}
