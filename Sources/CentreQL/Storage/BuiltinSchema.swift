/// The built-in schema: the report's centres, their awards and projects, and the data's provenance.
/// The schema of the built-in data set, which a folder of CSV files loaded with `--data` also follows.
extension Catalog {
    public static let builtIn: Catalog = {
        do {
            return try Catalog([centres, awards, projects, provenance])
        } catch {
            fatalError("\(error)")
        }
    }()

    /// The figure columns of the centres, each "missing" (null) where the source gives no figure.
    static let centreFigures: [(String, String)] = [
        ("teams", "volunteer teams (志愿团队)"),
        ("social_orgs", "social organisations working with the centre (社会组织)"),
        ("brand_projects", "brand volunteer projects (志愿服务品牌项目)"),
        ("activities", "activities held, in total (活动场次)"),
        ("volunteers", "volunteers taking part (参与志愿者人数)"),
        ("beneficiaries", "people served, counted per visit (受益群众人次)"),
        ("stations", "volunteer service stations (志愿服务站)"),
        ("sub_centres", "branch centres (志愿服务分中心)"),
        ("neighbourhood_centres", "neighbourhood centres the branches sit in (邻里中心)"),
        ("alliances", "volunteer alliances (志愿联盟)"),
    ]

    static let centres = TableSchema(
        name: "centres",
        summary: "the 40 community volunteer service centres awarded in 2019",
        columns: [
            ColumnSchema(name: "id", type: .int, summary: "1–40, in the order of the list", domain: .atLeast(1)),
            ColumnSchema(name: "name", type: .string, summary: "full name as the document writes it"),
            ColumnSchema(name: "district", type: .string, summary: "district (区), e.g. 闵行区"),
            ColumnSchema(name: "district_en", type: .string, summary: "district in pinyin, e.g. Minhang"),
            ColumnSchema(name: "town", type: .string, summary: "street, town or area, e.g. 吴泾镇"),
            ColumnSchema(name: "town_en", type: .string, summary: "town in pinyin, e.g. Wujing"),
            ColumnSchema(name: "town_kind", type: .string, summary: "街道, 镇, 新区 or 社区", domain: .oneOf(["街道", "镇", "新区", "社区"])),
            ColumnSchema(name: "town_kind_en", type: .string, summary: "subdistrict, town, new area or community",
                         domain: .oneOf(["subdistrict", "town", "new area", "community"])),
            ColumnSchema(name: "model", type: .string, summary: "the working layout the document names, e.g. 1+7+N"),
        ] + centreFigures.map { ColumnSchema(name: $0.0, type: .figure, summary: $0.1, domain: .atLeast(0)) },
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
            ColumnSchema(name: "id", type: .int, summary: "1–40", domain: .atLeast(1)),
            ColumnSchema(name: "centre_id", type: .int, summary: "the centre awarded (link: centre)"),
            ColumnSchema(name: "year", type: .int, summary: "year of the award list", domain: .between(1949, 2100)),
            ColumnSchema(name: "category", type: .string, summary: "e.g. 品牌创新示范中心"),
            ColumnSchema(name: "category_en", type: .string, summary: "e.g. Brand Innovation"),
            ColumnSchema(name: "rank", type: .int, summary: "position 1–10 within the category's list", domain: .atLeast(1)),
            ColumnSchema(name: "title", type: .string, summary: "the title conferred"),
            ColumnSchema(name: "issuer", type: .string, summary: "who published the list"),
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
            ColumnSchema(name: "id", type: .int, summary: "project number", domain: .atLeast(1)),
            ColumnSchema(name: "centre_id", type: .int, summary: "the centre that runs it (link: centre)"),
            ColumnSchema(name: "name", type: .string, summary: "name as the document writes it"),
            ColumnSchema(name: "kind", type: .string, summary: "项目, 活动, 联盟, 团队, 服务 or 机制",
                         domain: .oneOf(["项目", "活动", "联盟", "团队", "服务", "机制"])),
            ColumnSchema(name: "kind_en", type: .string, summary: "project, activity, alliance, team, service or mechanism"),
            ColumnSchema(name: "theme", type: .string, summary: "what it is about, in the document's words"),
            ColumnSchema(name: "partners", type: .string, summary: "partner organisations the document names"),
            ColumnSchema(name: "is_brand", type: .bool, summary: "named among the centre's brand projects"),
            ColumnSchema(name: "members", type: .figure, summary: "people or teams in it", domain: .atLeast(0)),
            ColumnSchema(name: "organisations", type: .figure, summary: "organisations in it", domain: .atLeast(0)),
            ColumnSchema(name: "stations", type: .figure, summary: "service stations in it", domain: .atLeast(0)),
            ColumnSchema(name: "services", type: .figure, summary: "services or menu items offered", domain: .atLeast(0)),
            ColumnSchema(name: "activities", type: .figure, summary: "activities held (see note for the period)", domain: .atLeast(0)),
            ColumnSchema(name: "beneficiaries", type: .figure, summary: "people served, per visit", domain: .atLeast(0)),
            ColumnSchema(name: "requests", type: .figure, summary: "service requests received", domain: .atLeast(0)),
            ColumnSchema(name: "reviews", type: .figure, summary: "service reviews received", domain: .atLeast(0)),
            ColumnSchema(name: "note", type: .string, summary: "the document's wording for the figures"),
        ],
        links: [LinkSchema(name: "centre", target: "centres", kind: .toOne(column: "centre_id"))],
        indexes: [IndexSchema(columns: ["theme"], kind: .hash), IndexSchema(columns: ["kind"], kind: .hash),
                  IndexSchema(columns: ["beneficiaries"], kind: .ordered), IndexSchema(columns: ["members"], kind: .ordered)]
    )

    static let provenance = TableSchema(
        name: "provenance",
        summary: "where the data comes from",
        columns: [
            ColumnSchema(name: "field", type: .string, summary: "what is described"),
            ColumnSchema(name: "value", type: .string, summary: "the description"),
        ],
        isOptional: true
    )
}
