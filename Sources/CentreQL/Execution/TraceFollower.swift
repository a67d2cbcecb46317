/// `trace PIPELINE follow CONDITION`: what became of the source rows for which CONDITION holds, stage
/// by stage: kept (and where), changed (which columns), grouped (into which group, with how many
/// rows), turned into several rows, or dropped (by which stage, and for `where`, by which part of its
/// condition). A row is told apart by its place among each stage's rows: the stages that keep or
/// reorder rows are matched by the rows' values, those that compute columns keep the places, and
/// those that make several rows of one (join, explode, unpivot) are counted.
struct TraceFollower {
    /// Runs the source and these stages, giving every row.
    let run: ([CheckedStage]) throws -> ResultSet
    let stages: [CheckedStage]
    /// The scope of the source's rows (before the first stage).
    let sourceScope: Scope
    /// The most rows followed at once.
    static let maximumFollowed = 5

    private struct Followed {
        let label: String
        /// The row's places among the current step's rows; nil once it is followed no further.
        var places: [Int]?
    }

    /// One line per followed row for each step (the source first), given every step's rows.
    func lines(results: [ResultSet], condition: Conjunct) throws -> [[String]] {
        let source = results[0]
        let matching = try run([CheckedStage(name: .where, stage: .where([condition]), text: "where " + condition.text, scope: sourceScope)])
        let map = Self.subsequence(source.rows, matching.rows)
        var followed = source.rows.indices.filter { map[$0] != nil }.map { Followed(label: Self.label(source, row: $0), places: [$0]) }
        var first = followed.prefix(Self.maximumFollowed).map { "\($0.label): follows (\(condition.text))" }
        if followed.isEmpty { first = ["no row of the source has \(condition.text): nothing to follow"] }
        if followed.count > Self.maximumFollowed {
            first.append("(\(followed.count) rows match; the first \(Self.maximumFollowed) are followed)")
            followed = Array(followed.prefix(Self.maximumFollowed))
        }
        var lines = [first]
        for step in 1..<results.count {
            var stepLines: [String] = []
            for index in followed.indices {
                guard let places = followed[index].places else { continue }
                let (next, fate) = try self.fate(of: places, at: step, results: results)
                followed[index].places = next.map { $0.isEmpty ? nil : $0 } ?? nil
                stepLines.append("\(followed[index].label): \(fate)")
            }
            lines.append(stepLines)
        }
        return lines
    }

    /// Where the row at `places` among step `step - 1`'s rows is after stage `step`, and in words.
    /// A nil place list: followed no further.
    private func fate(of places: [Int], at step: Int, results: [ResultSet]) throws -> ([Int]?, String) {
        let before = results[step - 1].rows, after = results[step].rows
        let checked = stages[step - 1]
        let prefix = Array(stages.prefix(step - 1))
        let scope = step > 1 ? stages[step - 2].scope : sourceScope
        func rows(_ count: Int) -> String { count == 1 ? "1 row" : "\(count) rows" }
        func placed(_ list: [Int]) -> String { list.count == 1 ? "row \(list[0] + 1)" : "rows " + list.map { String($0 + 1) }.joined(separator: ", ") }
        // The values of `fields` for each row before the stage (its keys, its list).
        func values(of fields: [BoundField]) throws -> [[Value]] {
            let one = scope.replacing(fields: fields.map { .init(name: $0.name, kind: .value($0.type)) })
            return try run(prefix + [CheckedStage(name: .select, stage: .select(fields), text: "select", scope: one)]).rows
        }
        func keyText(_ keys: [BoundField], _ values: [Value]) -> String {
            zip(keys, values).map { "\($0.name) = \($1.literalText)" }.joined(separator: ", ")
        }
        switch checked.stage {
        case .where(let conjuncts):
            let map = Self.subsequence(before, after)
            let kept = places.compactMap { map[$0] }
            if !kept.isEmpty { return (kept, "kept (\(placed(kept)))") }
            // Which parts of the condition it fails, each tried on its own.
            var failing: [String] = []
            for conjunct in conjuncts {
                let alone = try run(prefix + [CheckedStage(name: .where, stage: .where([conjunct]), text: "where", scope: scope)])
                let map = Self.subsequence(before, alone.rows)
                if places.allSatisfy({ map[$0] == nil }) { failing.append(conjunct.text) }
            }
            return (nil, "dropped by where: " + (failing.isEmpty ? "the condition" : failing.joined(separator: " and ")) + " is not true for it")
        case .sort:
            var taken = Set<Int>()
            let moved = places.compactMap { place in
                after.indices.first { !taken.contains($0) && after[$0] == before[place] }.map { taken.insert($0); return $0 }
            }
            return (moved, "kept, now \(placed(moved))")
        case .take:
            let kept = places.filter { $0 < after.count }
            if kept.isEmpty { return (nil, "dropped by take: it was \(placed(places)) and the first \(rows(after.count)) are kept") }
            return (kept, "kept (\(placed(kept)))")
        case .distinct, .combine(.except, _), .combine(.intersect, _):
            var kept: [Int] = []
            for place in places {
                if let earlier = before[..<place].firstIndex(of: before[place]) {
                    return (nil, "dropped as a repeat: row \(earlier + 1) coming in has the same values")
                }
                if let found = after.firstIndex(of: before[place]) { kept.append(found) }
            }
            if kept.isEmpty {
                guard case .combine(let operation, _) = checked.stage else { return (nil, "dropped") }
                return (nil, operation == .except ? "dropped: the other pipeline has the same row" : "dropped: the other pipeline has no such row")
            }
            return (kept, "kept (\(placed(kept)))")
        case .combine(.append, _):
            return (places, "kept (\(placed(places)))")
        case .select, .derive:
            let columns = results[step - 1].columns.map(\.name), now = results[step].columns.map(\.name)
            let place = places[0]
            // What it holds now that it did not before: new columns and changed values.
            let changes = now.indices.compactMap { c -> String? in
                let value = after[place][c]
                if let old = columns.firstIndex(of: now[c]), before[place][old] == value { return nil }
                return "\(now[c]) = \(value.literalText)"
            }
            let dropped = columns.filter { !now.contains($0) }.count
            var parts: [String] = []
            if !changes.isEmpty { parts.append("now " + changes.joined(separator: ", ")) }
            if dropped > 0 { parts.append("\(dropped) column\(dropped == 1 ? "" : "s") left out") }
            return (places, parts.isEmpty ? "unchanged" : "changed: " + parts.joined(separator: "; "))
        case .group(let keys, _):
            guard !keys.isEmpty else { return ([0], "aggregated, with all \(rows(before.count)), into the one row") }
            let keyed = try values(of: keys)
            // Each place's group (the rows explode made of one row may go to several).
            var groups: [Int] = [], words: [String] = []
            for place in places {
                let key = keyed[place]
                guard let row = after.firstIndex(where: { Array($0.prefix(keys.count)) == key }), !groups.contains(row) else { continue }
                groups.append(row)
                words.append("row \(row + 1) (\(keyText(keys, key))), with \(rows(keyed.filter { $0 == key }.count)) in all")
            }
            return (groups, "grouped into " + words.joined(separator: "; "))
        case .groupEach(let keys, _, _):
            let keyed = try values(of: keys)
            let key = keyed[places[0]]
            let members = keyed.filter { $0 == key }.count
            return (nil, "went into the group \(keyText(keys, key)) of \(rows(members)), whose stages are applied to those rows together (followed no further)")
        case .count:
            return (nil, "counted: one of the \(rows(before.count))")
        case .join(let table, _, let keepsUnmatched):
            let width = before[places[0]].count
            // The joined rows start with the row's values (rows with the same values pair alike).
            let paired = after.indices.filter { index in places.contains { Array(after[index].prefix(width)) == before[$0] } }
            let name = scope.catalog[table].name
            if paired.isEmpty { return (nil, "dropped by join: no row of \(name) meets the condition") }
            if keepsUnmatched, paired.count == places.count, paired.allSatisfy({ after[$0].dropFirst(width).allSatisfy(\.isNull) }) {
                return (paired, "kept by join left without a row of \(name) (its columns null)")
            }
            return (paired, "paired with \(name): now \(placed(paired))")
        case .explode(let field, _):
            let lists = try values(of: [field]).map { row -> Int in if case .list(let items) = row[0] { items.count } else { 0 } }
            return Self.spread(places, counts: lists, dropped: "dropped by explode: its list is empty or null", made: "one per element")
        case .unpivot(_, let columns, _, _):
            let counts = before.map { row in columns.filter { !row[$0].isNull }.count }
            return Self.spread(places, counts: counts, dropped: "dropped by unpivot: every listed column is null", made: "one per listed column with a value")
        }
    }

    /// A row that becomes `counts[row]` rows, the rows of each input row in order.
    private static func spread(_ places: [Int], counts: [Int], dropped: String, made: String) -> ([Int]?, String) {
        let rows = places.flatMap { place in
            let start = counts[..<place].reduce(0, +)
            return Array(start..<(start + counts[place]))
        }
        let count = rows.count
        if count == 0 { return (nil, dropped) }
        let where_ = (count == 1 ? "row " : "rows ") + rows.map { String($0 + 1) }.joined(separator: ", ")
        return (rows, "became \(count) row\(count == 1 ? "" : "s"), \(made) (\(where_))")
    }

    /// For each row of `all`, its place in `kept` (a subsequence of it, as `where` leaves it), or nil.
    static func subsequence(_ all: [[Value]], _ kept: [[Value]]) -> [Int?] {
        var map = [Int?](repeating: nil, count: all.count)
        var next = 0
        for (i, row) in all.enumerated() where next < kept.count && kept[next] == row {
            map[i] = next
            next += 1
        }
        return map
    }

    /// How a source row is named: its id and its first text column (`id 19 闵行区吴泾镇社区志愿服务中心`).
    static func label(_ source: ResultSet, row: Int) -> String {
        let values = source.rows[row]
        let id = source.columns.firstIndex { $0.name == "id" }.map { "id " + values[$0].description } ?? "row \(row + 1)"
        let text = source.columns.indices.first { source.columns[$0].type == .string && !values[$0].isNull }.map { " " + values[$0].description } ?? ""
        return id + text
    }
}
