import FileSupport

/// Maps the library's parameter names to the flags that set them, so a refused parameter is reported as the
/// option the user typed.
enum CommandLineFlags {
    /// Parameters whose flag is not their name in kebab case.
    static let renamed: [String: String] = [
        "bootstrapReplicates": "--bootstrap",
        "minimumGroupSize": "--min-group-size",
        "confidenceLevel": "--confidence",
        "interest": "--interest-share",
        "metrics": "--metric",
        "materiality": "--material",
        "decisionRules": "--score-threshold/--budget",
        "data": "the audited data",
        "potrf": "LAPACK potrf",
        "syevd": "LAPACK syevd",
        "seed": "--seed",
        "steps": "--cg-steps",
    ]

    /// `targetShare` → `--target-share`, or the name in ``renamed``.
    static func flag(for parameter: String) -> String {
        if let flag = renamed[parameter] { return flag }
        var flag = "--"
        for c in parameter {
            if c.isUppercase { flag += "-" + c.lowercased() } else { flag.append(c) }
        }
        return flag
    }

    /// The error with a parameter location shown as its flag.
    static func relocated(_ error: FairgroundError) -> FairgroundError {
        guard case .parameter(let name) = error.location else { return error }
        return error.relocated(to: .file(flag(for: name)))
    }
}
