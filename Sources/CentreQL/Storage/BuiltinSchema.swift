/// The built-in schema: the report's centres, their awards and projects, and the data's provenance.
/// The schema of the built-in data set, which a folder of CSV files loaded with `--data` also follows.
extension Catalog {
    public static let builtIn: Catalog = {
        do {
            return try Catalog([centres, awards, projects, facts, practices, provenance])
        } catch {
            fatalError("\(error)")
        }
    }()

    /// The figure columns of the centres, each "missing" (null) where the source gives no figure:
    /// name, meaning, the unit as the report words it, and what the count covers.
    static let centreFigures: [(String, String, unit: String?, scope: String?)] = [
        ("teams", "volunteer teams (志愿团)", "支", nil),
        ("social_orgs", "social organisations working with the centre (社会组织)", "家", nil),
        ("brand_projects", "brand volunteer projects (志愿服务品牌项目)", "个", nil),
        ("activities", "activities held (开展活动)", "场", "cumulative (累计)"),
        ("volunteers", "volunteers taking part (参与志愿者), in the same 累计 sentence", "人", "cumulative (累计)"),
        ("beneficiaries", "people served, counted per visit (受益群众人次), in the same 累计 sentence", "人次", "cumulative (累计)"),
        ("stations", "volunteer service stations (志愿服务站)", "个", nil),
        ("sub_centres", "branch centres (志愿服务分中心)", "个", nil),
        ("neighbourhood_centres", "neighbourhood centres the branches sit in (邻里中心)", "个", nil),
        ("alliances", "volunteer alliances (四大…联盟)", nil, nil),
    ]

    static let numbered = Origin.added(rule: "numbered by the data's authors")
    static let pinyin = Origin.added(rule: "pinyin of the Chinese name")

    static let centres = TableSchema(
        name: "centres",
        summary: "the 40 community volunteer service centres awarded in 2019",
        columns: [
            ColumnSchema(name: "id", type: .int, summary: "1–40, in the order of the list", domain: .atLeast(1),
                         origin: .added(rule: "the place in the list, the four categories one after another")),
            ColumnSchema(name: "name", type: .string, summary: "full name as the document writes it", origin: .source),
            ColumnSchema(name: "district", type: .string, summary: "district (区), e.g. 闵行区", origin: .source),
            ColumnSchema(name: "district_en", type: .string, summary: "district in pinyin, e.g. Minhang", origin: pinyin),
            ColumnSchema(name: "town", type: .string, summary: "street, town or area, e.g. 吴泾镇", origin: .source),
            ColumnSchema(name: "town_en", type: .string, summary: "town in pinyin, e.g. Wujing", origin: pinyin),
            ColumnSchema(name: "town_kind", type: .string, summary: "街道, 镇, 新区 or 社区", domain: .oneOf(["街道", "镇", "新区", "社区"]),
                         origin: .added(rule: "the end of the town's name")),
            ColumnSchema(name: "town_kind_en", type: .string, summary: "subdistrict, town, new area or community",
                         domain: .oneOf(["subdistrict", "town", "new area", "community"]), origin: .added(rule: "translation of town_kind")),
            ColumnSchema(name: "model", type: .string, summary: "the working layout the document names, e.g. 1+7+N", origin: .source),
        ] + centreFigures.map {
            ColumnSchema(name: $0.0, type: .figure, summary: $0.1, domain: .atLeast(0), origin: .source, unit: $0.unit, scope: $0.scope)
        },
        links: [
            LinkSchema(name: "awards", target: "awards", kind: .toMany(column: "centre_id")),
            LinkSchema(name: "projects", target: "projects", kind: .toMany(column: "centre_id")),
        ],
        indexes: ["district", "district_en", "town", "town_kind"].map { IndexSchema(columns: [$0], kind: .hash) }
            + ["volunteers", "beneficiaries", "stations"].map { IndexSchema(columns: [$0], kind: .ordered) }
    )

    static let awards = TableSchema(
        name: "awards",
        summary: "one award per centre: its category and rank in the 2019 list",
        columns: [
            ColumnSchema(name: "id", type: .int, summary: "1–40", domain: .atLeast(1), origin: numbered),
            ColumnSchema(name: "centre_id", type: .int, summary: "the centre awarded (link: centre)", origin: numbered),
            ColumnSchema(name: "year", type: .int, summary: "year of the award list", domain: .between(1949, 2100), origin: .source),
            ColumnSchema(name: "category", type: .string, summary: "the category's list, e.g. 品牌创新示范中心", origin: .source),
            ColumnSchema(name: "category_en", type: .string, summary: "e.g. Brand Innovation", origin: .added(rule: "translation of category")),
            ColumnSchema(name: "rank", type: .int, summary: "position 1–10 within the category's list", domain: .atLeast(1), origin: .source),
            ColumnSchema(name: "title", type: .string, summary: "the title conferred (称号): the category's name, as the report says", origin: .source),
            ColumnSchema(name: "list", type: .string, summary: "the name of the list the award is in", origin: .source),
            ColumnSchema(name: "issuer", type: .string, summary: "who published the list", origin: .source),
        ],
        links: [LinkSchema(name: "centre", target: "centres", kind: .toOne(column: "centre_id"))],
        indexes: [IndexSchema(columns: ["category"], kind: .hash), IndexSchema(columns: ["category_en"], kind: .hash),
                  IndexSchema(columns: ["year"], kind: .ordered), IndexSchema(columns: ["rank"], kind: .ordered),
                  IndexSchema(columns: ["category", "year"], kind: .ordered)]
    )

    static let projects = TableSchema(
        name: "projects",
        summary: "projects, programmes, alliances and teams of the three featured centres",
        columns: [
            ColumnSchema(name: "id", type: .int, summary: "project number", domain: .atLeast(1), origin: numbered),
            ColumnSchema(name: "centre_id", type: .int, summary: "the centre that runs it (link: centre)", origin: numbered),
            ColumnSchema(name: "name", type: .string, summary: "name as the document writes it", origin: .source),
            ColumnSchema(name: "kind", type: .string, summary: "项目, 活动, 联盟, 团队, 服务 or 机制",
                         domain: .oneOf(["项目", "活动", "联盟", "团队", "服务", "机制"]),
                         origin: .added(rule: "what the report calls it, else what it is (an event 活动, a way of working 机制)")),
            ColumnSchema(name: "kind_en", type: .string, summary: "project, activity, alliance, team, service or mechanism",
                         origin: .added(rule: "translation of kind")),
            ColumnSchema(name: "theme", type: .string, summary: "what it is about, in words the report uses of it", origin: .source),
            ColumnSchema(name: "partners", type: .string, summary: "partner organisations the document names",
                         origin: .added(rule: "each name as the report writes it, several joined with 、")),
            ColumnSchema(name: "is_brand", type: .bool, summary: "named among the centre's brand projects",
                         origin: .added(rule: "true for those the report names as brand projects (品牌项目)")),
            ColumnSchema(name: "members", type: .figure, summary: "people or teams in it", domain: .atLeast(0), origin: .source,
                         unit: "人", scope: "as of 2019-10 (到2019年10月)"),
            ColumnSchema(name: "organisations", type: .figure, summary: "organisations in it", domain: .atLeast(0), origin: .source, unit: "家"),
            ColumnSchema(name: "stations", type: .figure, summary: "service stations of its own (莘火聚's 53 are the centre's: see facts)",
                         domain: .atLeast(0), origin: .source, unit: "个"),
            ColumnSchema(name: "services", type: .figure, summary: "services or menu items offered", domain: .atLeast(0), origin: .source,
                         unit: "项", scope: "as of 2019-10 for 社区新动力; none stated for 莘火聚"),
            ColumnSchema(name: "activities", type: .figure, summary: "activities held", domain: .atLeast(0), origin: .source,
                         unit: "次", scope: "per year (每年)"),
            ColumnSchema(name: "beneficiaries", type: .figure, summary: "people served, per visit", domain: .atLeast(0), origin: .source,
                         unit: "人次", scope: "cumulative (累计)"),
            ColumnSchema(name: "requests", type: .figure, summary: "service requests received", domain: .atLeast(0), origin: .source,
                         unit: "次", scope: "as of 2019-10 (到2019年10月)"),
            ColumnSchema(name: "reviews", type: .figure, summary: "service reviews received", domain: .atLeast(0), origin: .source,
                         unit: "条", scope: "as of 2019-10 (到2019年10月)"),
            ColumnSchema(name: "note", type: .string, summary: "the report's words about it, quoted exactly", origin: .source),
        ],
        links: [LinkSchema(name: "centre", target: "centres", kind: .toOne(column: "centre_id"))],
        indexes: [IndexSchema(columns: ["theme"], kind: .hash), IndexSchema(columns: ["kind"], kind: .hash),
                  IndexSchema(columns: ["beneficiaries"], kind: .ordered), IndexSchema(columns: ["members"], kind: .ordered)]
    )

    static let facts = TableSchema(
        name: "facts",
        summary: "every figure the report gives, with the sentence it comes from",
        columns: [
            ColumnSchema(name: "id", type: .int, summary: "fact number", domain: .atLeast(1), origin: numbered),
            ColumnSchema(name: "subject", type: .string, summary: "the table of the row it describes: centres or projects",
                         domain: .oneOf(["centres", "projects"]), origin: .added(rule: "where the data files the figure")),
            ColumnSchema(name: "subject_id", type: .int, summary: "the id of that row", origin: numbered),
            ColumnSchema(name: "centre_id", type: .int, summary: "the centre it concerns (link: centre)", origin: numbered),
            ColumnSchema(name: "fills", type: .string, summary: "the column of that row the figure fills", origin: .added(rule: "the schema's column name")),
            ColumnSchema(name: "figure", type: .figure, summary: "the figure with its qualifier: amount(figure) and qualifier(figure) take it apart", domain: .atLeast(0), origin: .source),
            ColumnSchema(name: "unit", type: .string, summary: "the unit as the report words it (人, 人次, 场, 次, 支, 家, 个, 项, 条)", origin: .source),
            ColumnSchema(name: "scope", type: .string, summary: "cumulative, per year or as of; null where the report says none",
                         domain: .oneOf(["cumulative", "per year", "as of"]), origin: .added(rule: "from 累计, 每年 and 到…")),
            ColumnSchema(name: "as_of", type: .string, summary: "the month the figure stands at, where the report gives one (YYYY-MM)",
                         origin: .added(rule: "到2019年10月 written as 2019-10")),
            ColumnSchema(name: "sentence", type: .string, summary: "the report's words that give it, exactly", origin: .source),
        ],
        links: [LinkSchema(name: "centre", target: "centres", kind: .toOne(column: "centre_id"))],
        isOptional: true
    )

    static let practices = TableSchema(
        name: "practices",
        summary: "the functions, platforms, frameworks and ways of working the report names for the three centres",
        columns: [
            ColumnSchema(name: "id", type: .int, summary: "practice number", domain: .atLeast(1), origin: numbered),
            ColumnSchema(name: "centre_id", type: .int, summary: "the centre (link: centre)", origin: numbered),
            ColumnSchema(name: "kind", type: .string, summary: "function, platform, force, framework, step, way of working or person",
                         domain: .oneOf(["function", "platform", "force", "framework", "step", "way of working", "person"]),
                         origin: .added(rule: "what the report lists it as")),
            ColumnSchema(name: "set_name", type: .string, summary: "the report's name for the set it belongs to (九大功能, 四区, 三分管理, …)", origin: .source),
            ColumnSchema(name: "name", type: .string, summary: "its name as the report writes it", origin: .source),
            ColumnSchema(name: "sentence", type: .string, summary: "the report's words that name it, exactly", origin: .source),
        ],
        links: [LinkSchema(name: "centre", target: "centres", kind: .toOne(column: "centre_id"))],
        indexes: [IndexSchema(columns: ["kind"], kind: .hash)],
        isOptional: true
    )

    static let provenance = TableSchema(
        name: "provenance",
        summary: "where the data comes from",
        columns: [
            ColumnSchema(name: "field", type: .string, summary: "what is described", origin: .added(rule: "a name for each entry")),
            ColumnSchema(name: "value", type: .string, summary: "the description",
                         origin: .added(rule: "the report's words, with glosses in brackets and the figures' legend added")),
        ],
        isOptional: true
    )
}
