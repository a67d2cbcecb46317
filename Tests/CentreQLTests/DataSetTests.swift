import Testing
@testable import CentreQL

/// The built-in data against the source document: names, the four lists in order, every figure.
@Suite struct DataSetTests {
    /// The 40 names as the document lists them, category by category, rank by rank.
    static let names: [[String]] = [
        ["嘉定区菊园新区社区志愿服务中心", "长宁区虹桥街道社区志愿服务中心", "徐汇区斜土街道社区志愿服务中心",
         "黄浦区南京东路街道社区志愿服务中心", "宝山区友谊路街道社区志愿服务中心", "静安区天目西路街道社区志愿服务中心",
         "普陀区石泉路街道社区志愿服务中心", "浦东新区塘桥街道社区志愿服务中心", "虹口区凉城新村街道社区志愿服务中心",
         "杨浦区江浦路街道社区志愿服务中心"],
        ["金山区廊下镇社区志愿服务中心", "徐汇区枫林街道社区志愿服务中心", "黄浦区五里桥街道社区志愿服务中心",
         "虹口区嘉兴路街道社区志愿服务中心", "普陀区长风新村街道社区志愿服务中心", "奉贤区奉浦街道社区志愿服务中心",
         "长宁区新华街道社区志愿服务中心", "松江区新桥镇社区志愿服务中心", "闵行区吴泾镇社区志愿服务中心",
         "崇明区堡镇社区志愿服务中心"],
        ["长宁区华阳街道社区志愿服务中心", "松江区方松街道社区志愿服务中心", "浦东新区陆家嘴街道社区志愿服务中心",
         "闵行区浦江镇社区志愿服务中心", "徐汇区漕河泾街道社区志愿服务中心", "嘉定区安亭镇社区志愿服务中心",
         "静安区曹家渡街道社区志愿服务中心", "黄浦区小东门街道社区志愿服务中心", "杨浦区五角场街道社区志愿服务中心",
         "奉贤区金海社区志愿服务中心"],
        ["徐汇区天平街道社区志愿服务中心", "黄浦区豫园街道社区志愿服务中心", "宝山区顾村镇社区志愿服务中心",
         "长宁区北新泾街道社区志愿服务中心", "嘉定区南翔镇社区志愿服务中心", "杨浦区延吉新村街道社区志愿服务中心",
         "静安区静安寺街道社区志愿服务中心", "闵行区莘庄镇社区志愿服务中心", "普陀区长寿路街道社区志愿服务中心",
         "青浦区徐泾镇社区志愿服务中心"],
    ]
    static let categories = ["制度创新示范中心", "品牌创新示范中心", "管理创优示范中心", "服务创优示范中心"]

    @Test func fortyCentresWithTheirNamesAsWritten() throws {
        let all = try rows("centres | sort id | select name").map { $0[0] }
        #expect(all == Self.names.flatMap { $0 })
        #expect(Set(all).count == 40)
    }

    @Test(arguments: 0..<4)
    func eachCategoryListsTenInOrder(_ category: Int) throws {
        let listed = try rows("awards | where category == \"\(Self.categories[category])\" | sort rank | select rank, centre.name, year")
        #expect(listed.map { $0[0] } == (1...10).map(String.init))
        #expect(listed.map { $0[1] } == Self.names[category])
        #expect(Set(listed.map { $0[2] }) == ["2019"])
    }

    @Test func theOddNames() throws {
        // 金海社区 is not "金海社区社区…"; 菊园新区 is a 新区; 堡镇 is a one-character town.
        #expect(try rows("centres | where town_kind == \"社区\" | select name, town") == [["奉贤区金海社区志愿服务中心", "金海社区"]])
        #expect(try rows("centres | where town_kind == \"新区\" | select town, town_kind_en") == [["菊园新区", "new area"]])
        #expect(try rows("centres | where town == \"堡镇\" | select district, district_en, town_kind") == [["崇明区", "Chongming", "镇"]])
        #expect(try rows("centres | where district == \"浦东新区\" | count") == [["2"]])
        #expect(try rows("centres | group town_kind agg n = count() | sort town_kind") ==
            [["新区", "1"], ["社区", "1"], ["街道", "28"], ["镇", "10"]])
    }

    @Test func everyCentreHasDistrictAndTownInBothScripts() throws {
        #expect(try rows("centres | where district_en == null or town_en == null or town_kind_en == null | count") == [["0"]])
        #expect(try rows("centres | select district_en | distinct | count") == [["16"]])
        #expect(try rows("centres | where not (name starts_with district + town) | count") == [["0"]])
    }

    @Test func wujingFiguresKeepTheirQualifiers() throws {
        let row = try rows("centres | where town == \"吴泾镇\" | select teams, social_orgs, brand_projects, activities, volunteers, beneficiaries")
        // 78支志愿团, 27家社会组织, 品牌项目12个, 活动近890余场, 志愿者1.8万余人, 受益群众近6.2万人次
        #expect(row == [["78", "27", "12", "近890余", "18000余", "近62000"]])
        var engine = Engine()
        let values = try engine.query("centres | where town == \"吴泾镇\" | select activities, volunteers, beneficiaries").rows[0]
        #expect(values == [.figure(Figure(890, .nearlyMoreThan)), .figure(Figure(18000, .moreThan)), .figure(Figure(62000, .nearly))])
    }

    @Test func pujiangAndXinzhuangFigures() throws {
        #expect(try rows("centres | where town == \"浦江镇\" | select model, neighbourhood_centres, sub_centres, stations") ==
            [["1+7+N", "7", "7", "80"]])
        #expect(try rows("centres | where town == \"莘庄镇\" | select model, alliances, stations") == [["1+4+53", "4", "53"]])
        // The 53 stations are the centre's, counted once (the alliance gathers their volunteers).
        #expect(try rows("projects | where name == \"莘火聚\" | select stations, services, activities, beneficiaries") ==
            [["null", "172", "10000余", "约190000"]])
        #expect(try rows("centres | select s = sum(stations) | take 1") == [["133"]])
        #expect(try rows("projects | where name == \"莘益家\" | select organisations") == [["12"]])
        #expect(try rows("projects | where name == \"社区新动力\" and centre.town == \"莘庄镇\" | select members, services, requests, reviews") ==
            [["43", "74", "366", "331"]])
    }

    @Test func figuresAreMissingNotZeroWhereTheReportGivesNone() throws {
        #expect(try rows("centres | where volunteers != null | select town") == [["吴泾镇"]])
        #expect(try rows("centres | where stations == null | count") == [["38"]])
        #expect(try rows("centres | where teams == 0 or stations == 0 | count") == [["0"]])
    }

    @Test func projectsBelongToTheThreeFeaturedCentres() throws {
        #expect(try rows("projects | group centre.town agg n = count(), brand = count(where is_brand) | sort n desc") ==
            [["吴泾镇", "21", "6"], ["莘庄镇", "14", "0"], ["浦江镇", "8", "0"]])
        #expect(try rows("projects | where kind == \"联盟\" | select name") == [["莘航线"], ["莘工慧"], ["莘火聚"], ["莘益家"]])
    }

    /// The report, as the project was made from it (a copy of ../shared/seed).
    static let report = Repository.read("Tests/CentreQLTests/Corpus/source/report.txt")

    /// Every text value of a column the schema gives as the report's occurs in the report exactly;
    /// an added column says by what rule. (Partners are names joined with 、: each name must occur.)
    @Test func everyTextTheDataPresentsAsTheReportsIsItsWording() throws {
        let store = Store.builtIn
        var checked = 0
        for table in store.catalog.tables {
            for column in table.columns {
                #expect(column.origin != nil, "\(table.name).\(column.name) does not say where it comes from")
                guard column.type == .string, let data = store.table(named: table.name) else { continue }
                for row in 0..<data.rowCount {
                    guard case .string(let text)? = data.value(row: row, column: column.name) else { continue }
                    let parts = column.name == "partners" ? text.split(separator: "、").map(String.init) : [text]
                    for part in parts where column.origin == .source {
                        #expect(Self.report.contains(part), "\(table.name).\(column.name) row \(row + 1): \(part) is not the report's wording")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 300)
    }

    /// Each fact's sentence occurs in the report and writes its number as the report does; every
    /// figure of centres and projects is exactly one fact, and every fact is a figure there.
    @Test func everyFigureIsAFactWithItsSentence() throws {
        var engine = Engine()
        let facts = try engine.query("facts | select subject, subject_id, fills, figure, unit, sentence").rows
        #expect(facts.count == 19)
        for fact in facts {
            guard case .string(let sentence) = fact[5], case .figure(let figure) = fact[3] else { Issue.record("\(fact)"); continue }
            #expect(Self.report.contains(sentence), "not the report's words: \(sentence)")
            // The number as the report writes it: 1.8万余, 近6.2万, 约19万, 1万余, 近890余, 四大, 78.
            let amount = figure.amount
            let written = amount >= 10000 ? Value.formatNumber(amount / 10000) + "万" : (amount == 4 ? "四" : Value.formatNumber(amount))
            let worded = switch figure.qualifier {
            case .exact: written
            case .nearly: "近" + written
            case .moreThan: written + "余"
            case .about: "约" + written
            case .nearlyMoreThan: "近" + written + "余"
            }
            let unit = if case .string(let u) = fact[4] { u } else { "大" }
            #expect(sentence.contains(worded + unit), "\(sentence) does not say \(worded)\(unit)")
            let row = try engine.query("\(fact[0]) | where id == \(fact[1]) | select \(fact[2])").rows
            #expect(row == [[fact[3]]], "\(fact[0]) \(fact[1]).\(fact[2]) is not \(figure)")
        }
        for table in ["centres", "projects"] {
            let figures = Store.builtIn.catalog.tables.first { $0.name == table }!.columns.filter { $0.type == .figure }.map(\.name)
            let given = try figures.map { try engine.query("\(table) | where \($0) != null | count").rows[0][0] }
            let total = given.reduce(0) { if case .int(let n) = $1 { $0 + n } else { $0 } }
            #expect(try engine.query("facts | where subject == \"\(table)\" | count").rows == [[.int(total)]])
        }
    }

    /// The facts the report states beyond figures: functions, platforms, frameworks, a person.
    @Test func theReportsOtherFactsCanBeFound() throws {
        #expect(try rows("practices | where set_name == \"九大功能\" and centre.town == \"浦江镇\" | count") == [["9"]])
        #expect(try rows("practices | where set_name == \"四区\" | select name") == [["社区"], ["校区"], ["园区"], ["厂区"]])
        #expect(try rows("practices | where kind == \"platform\" | select name") == [["需求发现"], ["项目策划"], ["志愿招募"], ["资源调配"]])
        #expect(try rows("practices | where name == \"马开阳\" | select centre.town, set_name") == [["浦江镇", "“中国好人”"]])
        #expect(try rows("practices | where set_name == \"四化推进\" | count") == [["4"]])
        #expect(try rows("practices | where name contains \"涟漪\" | select centre.town") == [["莘庄镇"]])
    }

    @Test func awardsCarryTheTitleConferredAndTheList() throws {
        #expect(try rows("awards | where centre.town == \"浦江镇\" | select title, list") ==
            [["管理创优示范中心", "2019年“创新、创优”上海市社区志愿服务示范中心名单"]])
        #expect(try rows("awards | where title != category | count") == [["0"]])
    }

    @Test func provenanceIsQueryable() throws {
        let fields = try rows("provenance | select field").map { $0[0] }
        #expect(fields.contains("list_title") && fields.contains("report_date"))
        #expect(try rows("provenance | where field == \"report_date\" | select value") == [["2020-03-15 17:13"]])
    }
}
