/// The built-in data set: the 2019 list of 40 "创新、创优" Shanghai community volunteer service
/// demonstration centres and the report's account of three of them, exactly as the source writes them.
///
/// Source: 澎湃新闻·澎湃号·政务, 2020-03-15, 《喜报!wuli三家服务中心获评市级示范中心,你去过吗?》
/// (from 文明闵行). Figures keep the source's qualifiers: 近 nearly, 余 more than, 约 about.
extension Store {
    /// The store holding the built-in data set.
    public static let builtIn: Store = {
        do {
            return try Store(rows: BuiltinData.rows())
        } catch {
            fatalError("the built-in data set is inconsistent: \(error)")
        }
    }()
}

enum BuiltinData {
    static let categories: [(name: String, english: String)] = [
        ("制度创新示范中心", "Institutional Innovation"),
        ("品牌创新示范中心", "Brand Innovation"),
        ("管理创优示范中心", "Management Excellence"),
        ("服务创优示范中心", "Service Excellence"),
    ]

    static let districts: [String: String] = [
        "嘉定区": "Jiading", "长宁区": "Changning", "徐汇区": "Xuhui", "黄浦区": "Huangpu", "宝山区": "Baoshan",
        "静安区": "Jing'an", "普陀区": "Putuo", "浦东新区": "Pudong", "虹口区": "Hongkou", "杨浦区": "Yangpu",
        "金山区": "Jinshan", "奉贤区": "Fengxian", "松江区": "Songjiang", "闵行区": "Minhang", "崇明区": "Chongming",
        "青浦区": "Qingpu",
    ]

    static let townKinds: [String: String] = ["街道": "subdistrict", "镇": "town", "新区": "new area", "社区": "community"]

    /// The list in the source's order: four categories of ten. Each entry: district, town, town kind, town in pinyin.
    /// The list in the source's order: four categories of ten. Each entry: the full name as written,
    /// district, town, town kind, and the town in pinyin (the name without its kind; 堡镇 keeps it).
    static let centres: [(name: String, district: String, town: String, kind: String, townEnglish: String)] = [
        // 一、制度创新示范中心
        ("嘉定区菊园新区社区志愿服务中心", "嘉定区", "菊园新区", "新区", "Juyuan"),
        ("长宁区虹桥街道社区志愿服务中心", "长宁区", "虹桥街道", "街道", "Hongqiao"),
        ("徐汇区斜土街道社区志愿服务中心", "徐汇区", "斜土街道", "街道", "Xietu"),
        ("黄浦区南京东路街道社区志愿服务中心", "黄浦区", "南京东路街道", "街道", "Nanjingdonglu"),
        ("宝山区友谊路街道社区志愿服务中心", "宝山区", "友谊路街道", "街道", "Youyilu"),
        ("静安区天目西路街道社区志愿服务中心", "静安区", "天目西路街道", "街道", "Tianmuxilu"),
        ("普陀区石泉路街道社区志愿服务中心", "普陀区", "石泉路街道", "街道", "Shiquanlu"),
        ("浦东新区塘桥街道社区志愿服务中心", "浦东新区", "塘桥街道", "街道", "Tangqiao"),
        ("虹口区凉城新村街道社区志愿服务中心", "虹口区", "凉城新村街道", "街道", "Liangchengxincun"),
        ("杨浦区江浦路街道社区志愿服务中心", "杨浦区", "江浦路街道", "街道", "Jiangpulu"),
        // 二、品牌创新示范中心
        ("金山区廊下镇社区志愿服务中心", "金山区", "廊下镇", "镇", "Langxia"),
        ("徐汇区枫林街道社区志愿服务中心", "徐汇区", "枫林街道", "街道", "Fenglin"),
        ("黄浦区五里桥街道社区志愿服务中心", "黄浦区", "五里桥街道", "街道", "Wuliqiao"),
        ("虹口区嘉兴路街道社区志愿服务中心", "虹口区", "嘉兴路街道", "街道", "Jiaxinglu"),
        ("普陀区长风新村街道社区志愿服务中心", "普陀区", "长风新村街道", "街道", "Changfengxincun"),
        ("奉贤区奉浦街道社区志愿服务中心", "奉贤区", "奉浦街道", "街道", "Fengpu"),
        ("长宁区新华街道社区志愿服务中心", "长宁区", "新华街道", "街道", "Xinhua"),
        ("松江区新桥镇社区志愿服务中心", "松江区", "新桥镇", "镇", "Xinqiao"),
        ("闵行区吴泾镇社区志愿服务中心", "闵行区", "吴泾镇", "镇", "Wujing"),
        ("崇明区堡镇社区志愿服务中心", "崇明区", "堡镇", "镇", "Baozhen"),
        // 三、管理创优示范中心
        ("长宁区华阳街道社区志愿服务中心", "长宁区", "华阳街道", "街道", "Huayang"),
        ("松江区方松街道社区志愿服务中心", "松江区", "方松街道", "街道", "Fangsong"),
        ("浦东新区陆家嘴街道社区志愿服务中心", "浦东新区", "陆家嘴街道", "街道", "Lujiazui"),
        ("闵行区浦江镇社区志愿服务中心", "闵行区", "浦江镇", "镇", "Pujiang"),
        ("徐汇区漕河泾街道社区志愿服务中心", "徐汇区", "漕河泾街道", "街道", "Caohejing"),
        ("嘉定区安亭镇社区志愿服务中心", "嘉定区", "安亭镇", "镇", "Anting"),
        ("静安区曹家渡街道社区志愿服务中心", "静安区", "曹家渡街道", "街道", "Caojiadu"),
        ("黄浦区小东门街道社区志愿服务中心", "黄浦区", "小东门街道", "街道", "Xiaodongmen"),
        ("杨浦区五角场街道社区志愿服务中心", "杨浦区", "五角场街道", "街道", "Wujiaochang"),
        ("奉贤区金海社区志愿服务中心", "奉贤区", "金海社区", "社区", "Jinhai"),
        // 四、服务创优示范中心
        ("徐汇区天平街道社区志愿服务中心", "徐汇区", "天平街道", "街道", "Tianping"),
        ("黄浦区豫园街道社区志愿服务中心", "黄浦区", "豫园街道", "街道", "Yuyuan"),
        ("宝山区顾村镇社区志愿服务中心", "宝山区", "顾村镇", "镇", "Gucun"),
        ("长宁区北新泾街道社区志愿服务中心", "长宁区", "北新泾街道", "街道", "Beixinjing"),
        ("嘉定区南翔镇社区志愿服务中心", "嘉定区", "南翔镇", "镇", "Nanxiang"),
        ("杨浦区延吉新村街道社区志愿服务中心", "杨浦区", "延吉新村街道", "街道", "Yanjixincun"),
        ("静安区静安寺街道社区志愿服务中心", "静安区", "静安寺街道", "街道", "Jing'ansi"),
        ("闵行区莘庄镇社区志愿服务中心", "闵行区", "莘庄镇", "镇", "Xinzhuang"),
        ("普陀区长寿路街道社区志愿服务中心", "普陀区", "长寿路街道", "街道", "Changshoulu"),
        ("青浦区徐泾镇社区志愿服务中心", "青浦区", "徐泾镇", "镇", "Xujing"),
    ]

    static let wujing = 19, pujiang = 24, xinzhuang = 38

    /// What the report says of the three featured centres, as figures with their qualifiers.
    static let centreDetails: [Int: [String: Value]] = [
        // "区域内78支志愿团及27家社会组织…志愿服务品牌项目共计12个…累计开展活动近890余场,
        //  参与志愿者1.8万余人,受益群众近6.2万人次"
        wujing: [
            "teams": .figure(Figure(78)), "social_orgs": .figure(Figure(27)), "brand_projects": .figure(Figure(12)),
            "activities": .figure(Figure(890, .nearlyMoreThan)), "volunteers": .figure(Figure(18000, .moreThan)),
            "beneficiaries": .figure(Figure(62000, .nearly)),
        ],
        // "以“1+7+N”模式…依托浦江镇7个邻里中心,增设7个志愿服务分中心,并在全镇80个居村设置学雷锋志愿服务站"
        pujiang: [
            "model": .string("1+7+N"), "neighbourhood_centres": .figure(Figure(7)), "sub_centres": .figure(Figure(7)),
            "stations": .figure(Figure(80)),
        ],
        // "形成“1+4+53”工作布局,依托四大“莘”品牌联盟…汇聚53个社区志愿服务站"
        xinzhuang: [
            "model": .string("1+4+53"), "alliances": .figure(Figure(4)), "stations": .figure(Figure(53)),
        ],
    ]

    struct Project {
        var centre: Int
        var name: String
        var kind: String
        var theme: String? = nil
        var partners: String? = nil
        var isBrand = false
        var figures: [String: Figure] = [:]
        var note: String? = nil
    }

    static let kinds: [String: String] = [
        "项目": "project", "活动": "activity", "联盟": "alliance", "团队": "team", "服务": "service", "机制": "mechanism",
    ]

    static let projects: [Project] = [
        // 吴泾镇
        Project(centre: wujing, name: "保护母亲河行动", kind: "项目", theme: "环保", isBrand: true,
                note: "全国四个100优秀项目"),
        Project(centre: wujing, name: "环保微志愿公益系列品牌活动", kind: "活动", theme: "环保"),
        Project(centre: wujing, name: "红色集结号", kind: "团队", theme: "党员志愿", partners: "党建服务中心"),
        Project(centre: wujing, name: "书香传承", kind: "项目", theme: "党员微公益、志愿送温暖", partners: "党建服务中心"),
        Project(centre: wujing, name: "随手文明", kind: "项目", theme: "党员微公益、志愿送温暖", partners: "党建服务中心"),
        Project(centre: wujing, name: "河道巡查", kind: "项目", theme: "党员微公益、志愿送温暖", partners: "党建服务中心"),
        Project(centre: wujing, name: "星期四的志愿承诺", kind: "项目", theme: "学生志愿者", partners: "建工学校", isBrand: true),
        Project(centre: wujing, name: "文明养宠社区行", kind: "活动", theme: "文明养宠", partners: "紫竹高新区内的农科院兽医所"),
        Project(centre: wujing, name: "关爱未成年人项目", kind: "项目", theme: "未成年人志愿服务", note: "2019年中心将目光聚焦未成年人志愿服务工作"),
        Project(centre: wujing, name: "区域同创共同体", kind: "项目", theme: "创全", note: "“三体”志愿项目"),
        Project(centre: wujing, name: "部门联动联合体", kind: "项目", theme: "创全", note: "“三体”志愿项目"),
        Project(centre: wujing, name: "爱心汇聚家园体", kind: "项目", theme: "创全", note: "“三体”志愿项目"),
        Project(centre: wujing, name: "志愿四季情", kind: "项目", theme: "环保"),
        Project(centre: wujing, name: "社区新动力", kind: "项目", theme: "环保"),
        Project(centre: wujing, name: "创全三色马夹", kind: "项目", theme: "环保"),
        Project(centre: wujing, name: "居民家庭养花知识教学讲座", kind: "活动", theme: "绿化环保",
                partners: "上海市绿化指导站、园林职工学校专业讲师志愿服务团队", note: "在 2019年对吴泾镇域内社区开展居民家庭养花知识教学讲座"),
        Project(centre: wujing, name: "吴泾镇绿庭园志愿服务团队", kind: "团队", theme: "绿化环保",
                partners: "上海市绿化指导站、园林职工学校专业讲师志愿服务团队"),
        Project(centre: wujing, name: "雷锋来了邻里公益行", kind: "项目", isBrand: true),
        Project(centre: wujing, name: "小小垃圾分类志愿者", kind: "项目", isBrand: true),
        Project(centre: wujing, name: "播育晓竹", kind: "项目", isBrand: true),
        Project(centre: wujing, name: "绘师助幼", kind: "项目", isBrand: true),
        // 浦江镇
        Project(centre: pujiang, name: "一日志愿双报到", kind: "活动", theme: "党员志愿者"),
        Project(centre: pujiang, name: "创全啄木鸟", kind: "活动", theme: "创全"),
        Project(centre: pujiang, name: "五进社区", kind: "活动", theme: "以“3·5学雷锋”和“12·5国际志愿者日”为主题"),
        Project(centre: pujiang, name: "自治家园1+2+3+N", kind: "机制", theme: "设置个性化"),
        Project(centre: pujiang, name: "志愿服务双负责", kind: "机制", theme: "管理网格化"),
        Project(centre: pujiang, name: "党员志愿者亮身份", kind: "项目", theme: "服务扁平化", note: "友建村"),
        Project(centre: pujiang, name: "五彩自治楼道", kind: "项目", theme: "服务扁平化", note: "浦润苑居委"),
        Project(centre: pujiang, name: "以奖代补", kind: "机制", theme: "配置垂直化"),
        // 莘庄镇
        Project(centre: xinzhuang, name: "莘航线", kind: "联盟", theme: "医疗保健、法律援助、活动策划、心理辅导",
                partners: "驻区单位、机关党员", note: "镇级志愿联盟"),
        Project(centre: xinzhuang, name: "七彩绚丽色彩师", kind: "团队", theme: "医疗保健、法律援助、活动策划、心理辅导",
                note: "形成“七彩绚丽色彩师”队伍"),
        Project(centre: xinzhuang, name: "莘工慧", kind: "联盟", theme: "关爱自闭症儿童、与残疾困难家庭结对扶贫帮困、定期为敬老院开展疏通地下排污管道等",
                partners: "企业", note: "企业志愿联盟"),
        Project(centre: xinzhuang, name: "莘火聚", kind: "联盟", theme: "社区治理、平安巡查、邻里互助、帮困助残",
                figures: ["services": Figure(172), "activities": Figure(10000, .moreThan), "beneficiaries": Figure(190000, .about)],
                note: "汇聚53个社区志愿服务站志愿者力量,常态化服务达172项,每年开展各类公益活动1万余次,涉及社区治理、平安巡查、邻里互助、帮困助残等,累计服务约19万人次"),
        Project(centre: xinzhuang, name: "莘益家", kind: "联盟", theme: "心理咨询、为老服务、应急救援、音乐治疗",
                figures: ["organisations": Figure(12)], note: "涵括12家社会组织"),
        Project(centre: xinzhuang, name: "“莘”愿有你志愿者开放日", kind: "活动", theme: "激励回馈", note: "2019年,结合重点工作的重要时间节点举办多次“莘”愿有你志愿者开放日活动"),
        Project(centre: xinzhuang, name: "志愿者感恩专场", kind: "活动", theme: "镇级团队、环境保护、中学生社会实践"),
        Project(centre: xinzhuang, name: "社区新动力", kind: "项目", theme: "志愿服务菜单",
                figures: ["members": Figure(43), "services": Figure(74), "requests": Figure(366), "reviews": Figure(331)],
                note: "到2019年10月,动力伙伴数量达43人,项目菜单74项,收到服务申请366次,获得服务评价331条"),
        Project(centre: xinzhuang, name: "地铁志愿服务亭便民咨询服务", kind: "服务", theme: "便民咨询"),
        Project(centre: xinzhuang, name: "地铁安全知识培训", kind: "活动", theme: "条块联动", partners: "申通地铁公司",
                note: "2019年与申通地铁公司形成条块联动机制"),
        Project(centre: xinzhuang, name: "莘接力·益起来", kind: "活动", theme: "在服务亭、地铁站开展“莘接力·益起来”志愿服务"),
        Project(centre: xinzhuang, name: "志愿服务热线", kind: "服务", theme: "答疑解惑"),
        Project(centre: xinzhuang, name: "接待中学生及家长志愿者参与各类服务", kind: "活动", theme: "志愿文化推广", note: "每年寒暑假"),
        Project(centre: xinzhuang, name: "大型活动赛事的外围保障工作", kind: "活动", theme: "上海大师赛、进博会"),
    ]

    /// One figure the report gives: where the data files it, and the words that give it.
    struct Fact {
        var subject: String
        var id: Int
        var centre: Int
        var fills: String
        var figure: Figure
        var unit: String?
        var scope: String? = nil
        var asOf: String? = nil
        var sentence: String
    }

    /// The project's id by name within a centre (projects are numbered in `projects`' order).
    static func projectID(_ name: String, of centre: Int) -> Int {
        projects.firstIndex { $0.name == name && $0.centre == centre }! + 1
    }

    /// Every figure of `centreDetails` and of `projects`, each with its sentence. The 53 stations are
    /// the centre's, not 莘火聚's: the centre's layout "1+4+53" counts them, and the alliance only
    /// gathers their volunteers. 吴泾镇's 近890余场, 1.8万余人 and 近6.2万人次 follow the list of its
    /// brand projects in one sentence; they are read as the centre's, as the report gives them in
    /// the centre's account and names no project for them.
    static let facts: [Fact] = {
        let huoju = projectID("莘火聚", of: xinzhuang), yijia = projectID("莘益家", of: xinzhuang)
        let dongli = projectID("社区新动力", of: xinzhuang)
        let wujingTotals = "累计开展活动近890余场,参与志愿者1.8万余人,受益群众近6.2万人次"
        let partners = "到2019年10月,动力伙伴数量达43人,项目菜单74项,收到服务申请366次,获得服务评价331条"
        let huojuWords = "汇聚53个社区志愿服务站志愿者力量,常态化服务达172项,每年开展各类公益活动1万余次,涉及社区治理、平安巡查、邻里互助、帮困助残等,累计服务约19万人次"
        return [
            Fact(subject: "centres", id: wujing, centre: wujing, fills: "teams", figure: Figure(78), unit: "支", sentence: "区域内78支志愿团及27家社会组织有效融合"),
            Fact(subject: "centres", id: wujing, centre: wujing, fills: "social_orgs", figure: Figure(27), unit: "家", sentence: "区域内78支志愿团及27家社会组织有效融合"),
            Fact(subject: "centres", id: wujing, centre: wujing, fills: "brand_projects", figure: Figure(12), unit: "个", sentence: "志愿服务品牌项目共计12个"),
            Fact(subject: "centres", id: wujing, centre: wujing, fills: "activities", figure: Figure(890, .nearlyMoreThan), unit: "场", scope: "cumulative", sentence: wujingTotals),
            Fact(subject: "centres", id: wujing, centre: wujing, fills: "volunteers", figure: Figure(18000, .moreThan), unit: "人", scope: "cumulative", sentence: wujingTotals),
            Fact(subject: "centres", id: wujing, centre: wujing, fills: "beneficiaries", figure: Figure(62000, .nearly), unit: "人次", scope: "cumulative", sentence: wujingTotals),
            Fact(subject: "centres", id: pujiang, centre: pujiang, fills: "neighbourhood_centres", figure: Figure(7), unit: "个", sentence: "依托浦江镇7个邻里中心"),
            Fact(subject: "centres", id: pujiang, centre: pujiang, fills: "sub_centres", figure: Figure(7), unit: "个", sentence: "增设7个志愿服务分中心"),
            Fact(subject: "centres", id: pujiang, centre: pujiang, fills: "stations", figure: Figure(80), unit: "个", sentence: "并在全镇80个居村设置学雷锋志愿服务站"),
            Fact(subject: "centres", id: xinzhuang, centre: xinzhuang, fills: "alliances", figure: Figure(4), unit: nil, sentence: "依托四大“莘”品牌联盟开展公益服务"),
            Fact(subject: "centres", id: xinzhuang, centre: xinzhuang, fills: "stations", figure: Figure(53), unit: "个", sentence: "汇聚53个社区志愿服务站志愿者力量"),
            Fact(subject: "projects", id: huoju, centre: xinzhuang, fills: "services", figure: Figure(172), unit: "项", sentence: huojuWords),
            Fact(subject: "projects", id: huoju, centre: xinzhuang, fills: "activities", figure: Figure(10000, .moreThan), unit: "次", scope: "per year", sentence: huojuWords),
            Fact(subject: "projects", id: huoju, centre: xinzhuang, fills: "beneficiaries", figure: Figure(190000, .about), unit: "人次", scope: "cumulative", sentence: huojuWords),
            Fact(subject: "projects", id: yijia, centre: xinzhuang, fills: "organisations", figure: Figure(12), unit: "家", sentence: "涵括12家社会组织"),
            Fact(subject: "projects", id: dongli, centre: xinzhuang, fills: "members", figure: Figure(43), unit: "人", scope: "as of", asOf: "2019-10", sentence: partners),
            Fact(subject: "projects", id: dongli, centre: xinzhuang, fills: "services", figure: Figure(74), unit: "项", scope: "as of", asOf: "2019-10", sentence: partners),
            Fact(subject: "projects", id: dongli, centre: xinzhuang, fills: "requests", figure: Figure(366), unit: "次", scope: "as of", asOf: "2019-10", sentence: partners),
            Fact(subject: "projects", id: dongli, centre: xinzhuang, fills: "reviews", figure: Figure(331), unit: "条", scope: "as of", asOf: "2019-10", sentence: partners),
        ]
    }()

    /// What the report names for the centres besides projects and figures: the functions, platforms,
    /// frameworks and ways of working, each with the words that name it.
    static let practices: [(centre: Int, kind: String, set: String?, name: String, sentence: String)] = {
        let nine = "中心着重将供需对接、注册认证、项目孵化、资源整合、能力建设、团队培育、指导监督、激励保障、文化建设九大功能做实做强"
        let platforms = "搭建需求发现、项目策划、志愿招募和资源调配等平台"
        let fourAreas = "集结“社区、校区、园区、厂区”四区志愿力量"
        let pujiangFrameworks = "目前中心基础化“三分管理”的框架已搭建完成,在进行项目的“四化推进”中"
        var rows: [(Int, String, String?, String, String)] = []
        rows += ["供需对接", "注册认证", "项目孵化", "资源整合", "能力建设", "团队培育", "指导监督", "激励保障", "文化建设"]
            .map { (pujiang, "function", "九大功能", $0, nine) }
        rows.append((xinzhuang, "function", "九大功能", "九大功能", "积极发挥志愿服务九大功能"))
        rows += ["需求发现", "项目策划", "志愿招募", "资源调配"].map { (wujing, "platform", nil, $0, platforms) }
        rows += ["社区", "校区", "园区", "厂区"].map { (wujing, "force", "四区", $0, fourAreas) }
        rows.append((pujiang, "framework", nil, "三分管理", pujiangFrameworks))
        rows += [("分块管理", "分块管理:以“1+7+N”模式全面开展志愿服务"), ("分类管理", "分类管理:基层配齐志愿服务专职工作人员"),
                 ("分层管理", "分层管理:以“做实基础、做强品牌”为原则")].map { (pujiang, "step", "三分管理", $0.0, $0.1) }
        rows.append((pujiang, "framework", nil, "四化推进", pujiangFrameworks))
        rows += [("设置个性化", "设置个性化:自治家园1+2+3+N"), ("管理网格化", "管理网格化:采用“志愿服务双负责”机制"),
                 ("服务扁平化", "服务扁平化:加大培育基层志愿服务特色机制、项目和团队的培养"),
                 ("配置垂直化", "配置垂直化:在对基层的志愿服务工作考核激励上")].map { (pujiang, "step", "四化推进", $0.0, $0.1) }
        rows.append((pujiang, "person", "“中国好人”", "马开阳", "涌现出如“中国好人”马开阳这类优秀志愿者或优秀团队"))
        rows.append((xinzhuang, "framework", nil, "1+4+53", "形成“1+4+53”工作布局"))
        rows += [("需求问卷调查", "定期开展需求问卷调查"),
                 ("志愿网注册维护服务", "在基层志愿服务站为不会操作电脑的志愿者增加志愿网注册维护服务"),
                 ("送志愿服务进邻里中心、进社区", "为方便居民还专门推行了送志愿服务进邻里中心、进社区"),
                 ("专业技能培训", "中心定期为志愿者提供专业技能培训机会"),
                 ("“社区新动力”人才库", "认真挖掘、梳理具有一技之长的志愿服务达人组建“社区新动力”人才库"),
                 ("1+N的志愿服务涟漪效应", "每月设定志愿服务主题,以点及面,呈现1+N的志愿服务涟漪效应")]
            .map { (xinzhuang, "way of working", nil, $0.0, $0.1) }
        return rows.map { (centre: $0.0, kind: $0.1, set: $0.2, name: $0.3, sentence: $0.4) }
    }()

    static let provenance: [(String, String)] = [
        ("list_title", "2019年“创新、创优”上海市社区志愿服务示范中心名单"),
        ("list_issuer", "市文明办 (Shanghai Civilization Office)"),
        ("report_title", "喜报!wuli三家服务中心获评市级示范中心,你去过吗?"),
        ("report_source", "澎湃新闻·澎湃号·政务"),
        ("report_origin", "文明闵行"),
        ("report_editor", "毛海萍"),
        ("report_date", "2020-03-15 17:13"),
        ("figures", "近 = nearly, 余 = more than, 约 = about; null = the report gives no figure"),
    ]

    static func rows() -> [String: [DataRow]] {
        var centreRows: [DataRow] = []
        var awardRows: [DataRow] = []
        for (index, centre) in centres.enumerated() {
            let id = index + 1
            var values: [String: Value] = [
                "id": .int(id),
                "name": .string(centre.name),
                "district": .string(centre.district), "district_en": .string(districts[centre.district]!),
                "town": .string(centre.town), "town_en": .string(centre.townEnglish),
                "town_kind": .string(centre.kind), "town_kind_en": .string(townKinds[centre.kind]!),
            ]
            values.merge(centreDetails[id] ?? [:]) { $1 }
            centreRows.append(DataRow(values, line: id))
            let category = categories[index / 10]
            awardRows.append(DataRow([
                "id": .int(id), "centre_id": .int(id), "year": .int(2019),
                "category": .string(category.name), "category_en": .string(category.english),
                "rank": .int(index % 10 + 1),
                "title": .string(category.name),
                "list": .string("2019年“创新、创优”上海市社区志愿服务示范中心名单"),
                "issuer": .string("市文明办"),
            ], line: id))
        }
        let projectRows = projects.enumerated().map { index, project in
            var values: [String: Value] = [
                "id": .int(index + 1), "centre_id": .int(project.centre), "name": .string(project.name),
                "kind": .string(project.kind), "kind_en": .string(kinds[project.kind]!),
                "is_brand": .bool(project.isBrand),
            ]
            if let theme = project.theme { values["theme"] = .string(theme) }
            if let partners = project.partners { values["partners"] = .string(partners) }
            if let note = project.note { values["note"] = .string(note) }
            for (name, figure) in project.figures { values[name] = .figure(figure) }
            return DataRow(values, line: index + 1)
        }
        let factRows = facts.enumerated().map { index, fact in
            var values: [String: Value] = [
                "id": .int(index + 1), "subject": .string(fact.subject), "subject_id": .int(fact.id), "centre_id": .int(fact.centre),
                "fills": .string(fact.fills), "figure": .figure(fact.figure), "sentence": .string(fact.sentence),
            ]
            if let unit = fact.unit { values["unit"] = .string(unit) }
            if let scope = fact.scope { values["scope"] = .string(scope) }
            if let asOf = fact.asOf { values["as_of"] = .string(asOf) }
            return DataRow(values, line: index + 1)
        }
        let practiceRows = practices.enumerated().map { index, practice in
            var values: [String: Value] = [
                "id": .int(index + 1), "centre_id": .int(practice.centre), "kind": .string(practice.kind),
                "name": .string(practice.name), "sentence": .string(practice.sentence),
            ]
            if let set = practice.set { values["set_name"] = .string(set) }
            return DataRow(values, line: index + 1)
        }
        let provenanceRows = provenance.enumerated().map { index, entry in
            DataRow(["field": .string(entry.0), "value": .string(entry.1)], line: index + 1)
        }
        return ["centres": centreRows, "awards": awardRows, "projects": projectRows, "facts": factRows, "practices": practiceRows,
                "provenance": provenanceRows]
    }
}
