public import Audit
import Statistics

/// Short renderings of values and intervals, shared by messages and reports.
public enum FindingText {
    /// A value with four significant decimals.
    public static func value(_ v: Double?) -> String {
        guard let v else { return "undefined" }
        if v == 0 { return "0" }
        if abs(v) >= 1e-3 && abs(v) < 1e5 {
            let scaled = (v * 10_000).rounded() / 10_000
            return "\(scaled)"
        }
        return Significance.formatted(abs(v)).replacingPrefix(v < 0)
    }

    /// A p-value: four significant decimals, `< 1e-16` below what double-precision tails resolve (never `0` or
    /// `3.9e-319`), `—` when there was no test.
    public static func pValue(_ p: Double?) -> String {
        guard let p else { return "—" }
        return p < 1e-16 ? "< 1e-16" : value(p)
    }

    /// "[lower, upper]", or "" without an interval.
    public static func interval(_ e: Estimate) -> String {
        guard let l = e.lower, let u = e.upper else { return "" }
        return "[\(value(l)), \(value(u))]"
    }
}

extension String {
    fileprivate func replacingPrefix(_ negative: Bool) -> String { negative ? "-" + self : self }
}
