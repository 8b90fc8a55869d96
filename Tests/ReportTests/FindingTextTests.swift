@testable import Audit
@testable import Report
import Testing

/// Values, p-values and intervals as every report and message writes them.
@Suite struct FindingTextTests {
    @Test func valuesHaveFourDecimalsInTheUsualRange() {
        #expect(FindingText.value(nil) == "undefined")
        #expect(FindingText.value(0) == "0" && FindingText.value(-0.0) == "0")
        #expect(FindingText.value(0.12345) == "0.1235")
        #expect(FindingText.value(-0.12344) == "-0.1234")
        #expect(FindingText.value(0.1 + 0.2) == "0.3")
        #expect(FindingText.value(12) == "12.0")
        #expect(FindingText.value(0.001) == "0.001")
        #expect(FindingText.value(99_999.5) == "99999.5")
    }

    /// Below 10⁻³ and from 10⁵ on the value keeps its sign and its magnitude (never rounded to 0).
    @Test func smallAndLargeValuesKeepTheirMagnitudeAndSign() {
        #expect(FindingText.value(2.5e-9) == "2.5e-9")
        #expect(FindingText.value(-2.5e-9) == "-2.5e-9")
        #expect(FindingText.value(0.00042) == "0.0004" && FindingText.value(0.000042) == "4.2e-5")
        #expect(FindingText.value(123_456) == "123456.0")
        #expect(FindingText.value(-123_456) == "-123456.0")
    }

    @Test func pValuesStopAtTheResolvableTail() {
        #expect(FindingText.pValue(1) == "1.0")
        #expect(FindingText.pValue(0.05) == "0.05")
        #expect(FindingText.pValue(9.9e-17) == "< 1e-16")
        #expect(FindingText.pValue(1e-16) == FindingText.value(1e-16) && FindingText.pValue(1e-16) != "< 1e-16")
        #expect(FindingText.pValue(3e-10) == "3.0e-10")
    }

    @Test func intervalsNeedBothEnds() {
        #expect(FindingText.interval(Estimate(value: 0.5, lower: 0.4, upper: 0.6)) == "[0.4, 0.6]")
        #expect(FindingText.interval(Estimate(value: nil, lower: -0.25, upper: 0)) == "[-0.25, 0]")
        #expect(FindingText.interval(Estimate(value: 0.5)) == "")
        #expect(FindingText.interval(Estimate(value: 0.5, lower: 0.4)) == "")
        #expect(FindingText.interval(Estimate(value: 0.5, upper: 0.6)) == "")
    }
}
