/// What the report's wording says about a figure's true value, for telling which comparisons it
/// settles. The engine compares figures by one order (`Value.compare`: the stated amount, then the
/// wording); this says where that order is the report's own answer and where it is only the rule.
///
/// The documented reading: 余 N is more than N, by at most a tenth of N (1.8万余 is 18,000 and
/// some); 近 N is less than N, by at most a tenth; 约 N and 近…余 N are within a tenth of N either
/// way. A comparison is settled when it comes out the same for every value the wording allows, and
/// open otherwise (`近62000 > 61000`, `约190000 > 180000`, `约190000 == 190000`).
enum FigureWording {
    struct Bounds {
        let low: Double, lowIncluded: Bool
        let high: Double, highIncluded: Bool
    }

    static func bounds(of figure: Figure) -> Bounds {
        let n = figure.amount, spread = abs(figure.amount) / 10
        switch figure.qualifier {
        case .exact: return Bounds(low: n, lowIncluded: true, high: n, highIncluded: true)
        case .nearly: return Bounds(low: n - spread, lowIncluded: true, high: n, highIncluded: false)
        case .moreThan: return Bounds(low: n, lowIncluded: false, high: n + spread, highIncluded: true)
        case .about, .nearlyMoreThan: return Bounds(low: n - spread, lowIncluded: true, high: n + spread, highIncluded: true)
        }
    }

    /// Whether `figure op number` is true for some value the wording allows and false for another.
    static func leavesOpen(_ op: BinaryOperator, _ figure: Figure, _ number: Double) -> Bool {
        let b = bounds(of: figure)
        guard b.low < b.high else { return false }  // exact, or a qualified 0
        let m = number
        let (someTrue, someFalse): (Bool, Bool)
        switch op {
        case .less: (someTrue, someFalse) = (b.low < m, b.high > m || (b.high == m && b.highIncluded))
        case .lessEqual: (someTrue, someFalse) = (b.low < m || (b.low == m && b.lowIncluded), b.high > m)
        case .greater: (someTrue, someFalse) = (b.high > m, b.low < m || (b.low == m && b.lowIncluded))
        case .greaterEqual: (someTrue, someFalse) = (b.high > m || (b.high == m && b.highIncluded), b.low < m)
        case .equal, .notEqual:
            let inside = (b.low < m && m < b.high) || (m == b.low && b.lowIncluded) || (m == b.high && b.highIncluded)
            (someTrue, someFalse) = (inside, true)
        default: return false
        }
        return someTrue && someFalse
    }

    /// `a op b` read from the other side: `5 < x` is `x > 5`.
    static func flipped(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        default: op
        }
    }
}
