import FileSupport
internal import Yams

/// A YAML node together with its dotted path and file, so every read can fail with a precise ``FairgroundError``.
struct SpecNode {
    let node: Node
    let path: String
    let file: String

    func error(_ expected: String, found: String? = nil) -> FairgroundError {
        FairgroundError(file: file, field: path, line: node.mark.map { $0.line }, column: node.mark.map { $0.column },
                  expected: expected, found: found ?? (node.scalar?.string))
    }

    func child(_ key: String, _ node: Node) -> SpecNode {
        SpecNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    /// The entries of a mapping in the order written, refusing keys not in `allowed`.
    func mapping(allowed: [String]) throws(FairgroundError) -> [(key: String, value: SpecNode)] {
        guard case .mapping(let m) = node else { throw error("a mapping", found: kindName) }
        var out: [(String, SpecNode)] = []
        for (k, v) in m {
            guard let key = k.string else { throw SpecNode(node: k, path: path, file: file).error("a string key") }
            if !allowed.isEmpty, !allowed.contains(key) {
                throw SpecNode(node: k, path: path.isEmpty ? key : "\(path).\(key)", file: file)
                    .error("a known key (one of: \(allowed.joined(separator: ", ")))", found: key)
            }
            out.append((key, child(key, v)))
        }
        return out
    }

    /// A mapping's entries by key (checked against `allowed`).
    func fields(allowed: [String], required: [String] = []) throws(FairgroundError) -> [String: SpecNode] {
        var dict: [String: SpecNode] = [:]
        for (k, v) in try mapping(allowed: allowed) { dict[k] = v }
        for r in required where dict[r] == nil {
            throw error("a mapping with the field '\(r)'", found: kindName)
        }
        return dict
    }

    func sequence() throws(FairgroundError) -> [SpecNode] {
        guard case .sequence(let s) = node else { throw error("a list", found: kindName) }
        return s.enumerated().map { SpecNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(FairgroundError) -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw error("a non-empty string", found: kindName) }
        return s.string
    }

    func double() throws(FairgroundError) -> Double {
        guard case .scalar = node, let v = node.float, v.isFinite else { throw error("a finite number") }
        return v
    }

    func double(_ check: (Double) -> Bool, _ expected: String) throws(FairgroundError) -> Double {
        guard case .scalar = node, let v = node.float, v.isFinite, check(v) else { throw error(expected) }
        return v
    }

    func int(minimum: Int, maximum: Int = Int.max) throws(FairgroundError) -> Int {
        guard case .scalar = node, let v = node.int, v >= minimum, v <= maximum else {
            // A whole number past Int's range (a seed of 2⁶⁴ − 1) is told the upper bound it passed; anything else
            // that is no number, only the lower bound.
            let text = node.scalar?.string ?? ""
            let pastRange = node.int == nil && !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
            let range = maximum == Int.max && !pastRange ? "at least \(minimum)" : "from \(minimum) to \(maximum)"
            throw error("a whole number \(range)")
        }
        return v
    }

    func bool() throws(FairgroundError) -> Bool {
        guard case .scalar = node, let v = node.bool else { throw error("true or false") }
        return v
    }

    var kindName: String {
        switch node {
        case .scalar(let s): s.string
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
