/// "Did you mean …?": the closest candidate by edit distance, if it is close enough to be a likely typo.
public enum Suggestions {
    /// Of candidates equally close, the first in the order given wins: an array, so that the same
    /// mistake always gets the same suggestion (a dictionary's keys come in another order in each
    /// dictionary, and `$q` once got `$p` in one run and `$n` in the next).
    public static func closest(to word: String, in candidates: [String]) -> String? {
        // A name that long is no typo of a short one: no table of distances the size of a pasted line.
        guard word.count <= 64 else { return nil }
        let target = Array(word.lowercased())
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased())
            // The difference in length is the least the distance can be: skip what cannot be close.
            guard abs(other.count - target.count) <= max(1, min(target.count, other.count) / 3) else { continue }
            let distance = editDistance(target, other)
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let allowed = max(1, min(target.count, best.candidate.count) / 3)
        return best.distance <= allowed ? best.candidate : nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, row) = (previous, row, previous2)
        }
        return previous[b.count]
    }

    /// "a, b or c" for a list of candidates in a hint.
    static func list(_ items: [String], conjunction: String = "or") -> String {
        let quoted = items.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
    }
}
