import Foundation

/// Writes a synthetic data set with the built-in schema, for teaching and benchmarking at scale:
/// 16 districts, 4 categories, years 2010–2025, ranks 1–10, a dozen project themes, Chinese names,
/// about 2 awards and 5 projects per centre. The same seed always gives the same files.
public struct Generator {
    public let centres: Int
    public let seed: UInt64

    public init(centres: Int, seed: UInt64 = 2019) {
        self.centres = centres
        self.seed = seed
    }

    public struct Counts: Sendable {
        public var centres = 0, awards = 0, projects = 0
    }

    /// Syllables for town names, with their pinyin.
    static let syllables: [(String, String)] = [
        ("华", "hua"), ("新", "xin"), ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("安", "an"),
        ("平", "ping"), ("泾", "jing"), ("桥", "qiao"), ("江", "jiang"), ("浦", "pu"), ("山", "shan"), ("林", "lin"),
        ("枫", "feng"), ("虹", "hong"), ("金", "jin"), ("海", "hai"), ("长", "chang"), ("宁", "ning"), ("曹", "cao"),
        ("河", "he"), ("泉", "quan"), ("阳", "yang"), ("松", "song"), ("竹", "zhu"), ("梅", "mei"), ("兴", "xing"),
        ("龙", "long"), ("园", "yuan"), ("庄", "zhuang"), ("亭", "ting"), ("翔", "xiang"), ("吴", "wu"), ("徐", "xu"),
        ("顾", "gu"), ("堡", "bao"), ("莘", "xin"), ("天", "tian"), ("豫", "yu"),
    ]
    static let themes = ["环保", "助老", "助残", "青少年", "文明创建", "垃圾分类", "法律援助", "医疗保健", "心理辅导",
                         "平安巡查", "邻里互助", "应急救援"]
    static let projectWords = ["志愿", "服务", "邻里", "关爱", "文明", "绿色", "阳光", "温暖", "同心", "共建", "爱心", "守护"]

    /// Writes centres.csv, awards.csv, projects.csv and provenance.csv into `directory`.
    public func write(to directory: String) throws(AtomicFile.WriteError) -> Counts {
        try AtomicFile.createDirectory(directory)
        var random = SplitMix64(seed: seed)
        let districts = BuiltinData.districts.sorted { $0.key < $1.key }
        // Each district has its own pool of towns, so "towns per district" is a real question.
        let townsPerDistrict = max(4, min(400, centres / 64))
        var towns: [[(name: String, english: String, kind: String)]] = []
        for _ in districts {
            var pool: [(String, String, String)] = []
            var seen = Set<String>()
            while pool.count < townsPerDistrict {
                let a = Self.syllables[random.next(below: Self.syllables.count)]
                let b = Self.syllables[random.next(below: Self.syllables.count)]
                let roll = random.next(below: 100)
                let kind = roll < 65 ? "街道" : roll < 93 ? "镇" : roll < 97 ? "新区" : "社区"
                let name = a.0 + b.0 + kind
                guard seen.insert(name).inserted else {
                    if seen.count >= Self.syllables.count * Self.syllables.count * 4 { break }
                    continue
                }
                pool.append((name, (a.1 + b.1).capitalized, kind))
            }
            towns.append(pool)
        }
        var counts = Counts()
        var centreCSV = try CSVWriter(path: directory + "/centres.csv", header: Catalog.centres.columns.map(\.name))
        var awardCSV = try CSVWriter(path: directory + "/awards.csv", header: Catalog.awards.columns.map(\.name))
        var projectCSV = try CSVWriter(path: directory + "/projects.csv", header: Catalog.projects.columns.map(\.name))
        func figure(_ random: inout SplitMix64, max: Int, present: Int) -> String {
            guard random.next(below: 100) < present else { return "" }
            let amount = 1 + random.next(below: max)
            switch random.next(below: 10) {
            case 0: return "近\(amount)"
            case 1: return "\(amount)余"
            case 2: return "约\(amount)"
            default: return "\(amount)"
            }
        }
        for id in 1...max(1, centres) {
            let d = random.next(below: districts.count)
            let town = towns[d][random.next(below: towns[d].count)]
            let district = districts[d]
            var row = [String(id), district.key + town.name + "社区志愿服务中心", district.key, district.value,
                       town.name, town.english, town.kind, BuiltinData.townKinds[town.kind]!, ""]
            for (index, _) in Catalog.centreFigures.enumerated() {
                row.append(figure(&random, max: index == 4 || index == 5 ? 100_000 : 200, present: 30))
            }
            try centreCSV.write(row)
            counts.centres += 1
            for _ in 0..<(1 + random.next(below: 3)) {
                counts.awards += 1
                let category = BuiltinData.categories[random.next(below: 4)]
                try awardCSV.write([String(counts.awards), String(id), String(2010 + random.next(below: 16)),
                                    category.name, category.english, String(1 + random.next(below: 10)),
                                    category.name, "上海市社区志愿服务示范中心名单", "市文明办"])
            }
            for _ in 0..<(3 + random.next(below: 5)) {
                counts.projects += 1
                let kinds = ["项目", "活动", "联盟", "团队", "服务", "机制"]
                let kind = kinds[random.next(below: kinds.count)]
                let name = Self.projectWords[random.next(below: 12)] + Self.projectWords[random.next(below: 12)] + "行动"
                try projectCSV.write([String(counts.projects), String(id), name, kind, BuiltinData.kinds[kind]!,
                                      Self.themes[random.next(below: Self.themes.count)], "", random.next(below: 10) == 0 ? "true" : "false",
                                      figure(&random, max: 500, present: 60), figure(&random, max: 30, present: 20),
                                      figure(&random, max: 60, present: 20), figure(&random, max: 200, present: 40),
                                      figure(&random, max: 2000, present: 50), figure(&random, max: 200_000, present: 70),
                                      figure(&random, max: 500, present: 20), figure(&random, max: 500, present: 20), ""])
            }
        }
        var provenance = try CSVWriter(path: directory + "/provenance.csv", header: ["field", "value"])
        try provenance.write(["generator", "centreql generate --centres \(centres) --seed \(seed)"])
        try provenance.write(["note", "synthetic data with the schema of the 2019 list; not real centres"])
        try AtomicFile.commit([centreCSV.finish(), awardCSV.finish(), projectCSV.finish(), provenance.finish()])
        return counts
    }
}

/// SplitMix64: small, fast, and the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
