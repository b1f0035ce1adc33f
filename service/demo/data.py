"""Fixed vocabularies the demo data is drawn from (fictional institutions, real place names)."""

from datetime import date
from typing import Any

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文博", "子涵", "欣怡", "浩然", "宇轩", "思远",
         "晓东", "丽华", "志强", "海燕", "春梅", "国庆", "建军", "玉兰", "晨曦", "梓萱"]
ETHNICITIES = ["汉族"] * 12 + ["回族", "满族", "壮族", "苗族"]

# Lenders' unified social credit codes carry valid check digits (GB 32100-2015; python-stdnum checks them
# on import). Which credit system each reports to (CN-31): the bank and the consumer-finance company to
# the PBOC's database, the micro-lender to Baihang; the factoring company and the unlicensed lender to none.
# The unlicensed lender lends occasionally, not for profit to the public (CN-32, 民间借贷规定 art. 13(三)):
# a 民间借贷 complaint can be filed on its contracts.
# (6-digit division code, city, district, streets)
REGIONS = [
    ("110105", "北京市", "朝阳区", ["建国路", "朝阳北路", "望京街", "劲松路"]),
    ("310104", "上海市", "徐汇区", ["漕溪北路", "肇嘉浜路", "天钥桥路", "虹桥路"]),
    ("440305", "广东省深圳市", "南山区", ["科技园路", "南海大道", "后海大道", "桃园路"]),
    ("330106", "浙江省杭州市", "西湖区", ["文三路", "天目山路", "古墩路", "教工路"]),
    ("510107", "四川省成都市", "武侯区", ["人民南路", "科华北路", "武侯祠大街", "高升桥路"]),
    ("420106", "湖北省武汉市", "武昌区", ["中南路", "中北路", "徐东大街", "武珞路"]),
    ("320106", "江苏省南京市", "鼓楼区", ["中山北路", "北京西路", "湖南路", "汉中路"]),
    ("610113", "陕西省西安市", "雁塔区", ["长安南路", "小寨东路", "科技路", "电子正街"]),
    ("370102", "山东省济南市", "历下区", ["泉城路", "经十路", "解放路", "文化东路"]),
    ("430104", "湖南省长沙市", "岳麓区", ["麓山南路", "枫林路", "桐梓坡路", "银盆南路"]),
]
COMMUNITIES = ["阳光花园", "锦绣家园", "翠湖小区", "金色港湾", "华府名苑", "康城", "和平里", "新城国际",
               "碧水湾", "星河湾"]
# Fictional employers with full names a court accepts as a party particular (民诉法 art. 124): no
# placeholder ("某某…"), no bare "市第一人民医院", and no real company pleaded as a debtor's employer.
EMPLOYERS = ["杭州澜启网络科技有限公司", "鲁中仁和医院", "临沂鑫达物流有限公司", "惠邻万家超市有限公司",
             "迅邦速运有限公司", "启明星教育科技有限公司", "华筑第一建设工程有限责任公司", "个体经营",
             "骏途即时配送服务有限公司", "味之源餐饮管理有限公司"]
OCCUPATIONS = ["软件工程师", "护士", "货车司机", "店员", "快递员", "教师", "施工员", "个体户", "外卖骑手",
               "厨师"]
SELF_EMPLOYED = "个体经营"  # the employer recorded for the self-employed (its occupation: 个体户)
# Why a visited borrower says the instalments stopped (with the borrower's own work: history._statement);
# three, drawn with one rng.choice as the canned statements were, so the demo's other draws stay put
VISIT_REASONS = ["近几个月收入减少", "家里有人住院花费较大", "另有信用卡欠款要还"]
RELATIONS = ["配偶", "父亲", "母亲", "兄弟", "姐妹", "同事", "朋友"]
CITIES_PLACE = ["北京市朝阳区", "上海市浦东新区", "深圳市南山区", "杭州市西湖区", "成都市武侯区"]

# The licensed lenders have an app borrowers repay in (app_name), which their notices name; RXTZ
# and its twin JCSW, lending without a licence, have none: their notices name the repayment account
# and no app (DOC-10).
LENDERS = [
    dict(code="HXCF", name="华信消费金融有限公司", name_en="Huaxin Consumer Finance Co., Ltd.",
         licence_type="consumer_finance", licence_no="银保监复〔2019〕512号",
         uscc="91310000MA1FL5XK29", credit_system="pboc",
         legal_rep="陈志远", legal_rep_title="董事长", address="上海市浦东新区世纪大道1000号华信大厦18层",
         postal_code="200120", hotline="400-820-1234", email="service@hxcf.example.cn",
         legal_email="susong@hxcf.example.cn", legal_phone="021-5012-3480",
         website="www.hxcf.example.cn", app_name="华信随心贷App", seal_text="华信消费金融有限公司",
         payment_account={"bank": "中国工商银行上海浦东支行",
                          "bank_en": "Industrial and Commercial Bank of China, Shanghai Pudong Sub-branch",
                          "account_name": "华信消费金融有限公司",
                          "account_name_en": "Huaxin Consumer Finance Co., Ltd.",
                          "account_no": "1001234509876543210"}),
    dict(code="JNBK", name="江南商业银行股份有限公司", name_en="Jiangnan Commercial Bank Co., Ltd.",
         licence_type="bank", licence_no="B1234H232010001", uscc="91320000134567890Y", credit_system="pboc",
         legal_rep="周国强", legal_rep_title="董事长", address="江苏省南京市鼓楼区中山北路28号",
         postal_code="210008", hotline="025-8321-0400", email="kefu@jnbank.example.cn",
         legal_email="falv@jnbank.example.cn", legal_phone="025-8321-0466", website="www.jnbank.example.cn",
         app_name="江南银行App",
         seal_text="江南商业银行股份有限公司",
         payment_account={"bank": "江南商业银行南京分行营业部",
                          "bank_en": "Jiangnan Commercial Bank, Nanjing Branch Business Department",
                          "account_name": "江南商业银行个人贷款还款专户",
                          "account_name_en": "Jiangnan Commercial Bank Personal Loan Repayment Account",
                          "account_no": "6217001234567890123"}),
    dict(code="QHXD", name="深圳市前海惠民小额贷款有限公司", name_en="Shenzhen Qianhai Huimin Microcredit Co., Ltd.",
         licence_type="micro_loan", licence_no="深金融〔2016〕88号", uscc="91440300MA5DQ7K80J", credit_system="baihang",
         legal_rep="林晓峰", legal_rep_title="执行董事", address="广东省深圳市南山区前海深港合作区前湾一路1号A栋201室",
         postal_code="518052", hotline="400-900-5566", email="support@qhxd.example.cn",
         legal_email="fawu@qhxd.example.cn", legal_phone="0755-8666-2310", website="www.qhxd.example.cn",
         app_name="惠民贷App",
         seal_text="深圳市前海惠民小额贷款有限公司",
         payment_account={"bank": "招商银行深圳前海分行",
                          "bank_en": "China Merchants Bank, Shenzhen Qianhai Branch",
                          "account_name": "深圳市前海惠民小额贷款有限公司",
                          "account_name_en": "Shenzhen Qianhai Huimin Microcredit Co., Ltd.",
                          "account_no": "755912345610801"}),
    dict(code="XHBL", name="上海信和商业保理有限公司", name_en="Shanghai Xinhe Commercial Factoring Co., Ltd.",
         licence_type="other_licensed", licence_no="沪金管〔2018〕301号", uscc="91310115MA1K3ABC99", credit_system="",
         legal_rep="吴建平", legal_rep_title="总经理", address="上海市浦东新区张杨路500号时代广场21楼",
         postal_code="200122", hotline="021-6888-1200", email="service@xhbl.example.cn",
         legal_email="fawu@xhbl.example.cn", legal_phone="021-6888-1236", website="", app_name="信和保理App",
         seal_text="上海信和商业保理有限公司",
         payment_account={"bank": "交通银行上海张杨路支行",
                          "bank_en": "Bank of Communications, Shanghai Zhangyang Road Sub-branch",
                          "account_name": "上海信和商业保理有限公司",
                          "account_name_en": "Shanghai Xinhe Commercial Factoring Co., Ltd.",
                          "account_no": "310066771018800012345"}),
    dict(code="RXTZ", name="四川蓉信投资咨询有限公司", name_en="Sichuan Rongxin Investment Consulting Co., Ltd.",
         licence_type="non_licensed", licence_no="", uscc="91510107MA6C8DEF3Y", credit_system="",
         lending_practice="occasional",  # lends now and then, not to the public: its contracts stand (CN-32)
         legal_rep="赵明亮", legal_rep_title="执行董事", address="四川省成都市武侯区人民南路四段12号",
         postal_code="610041", hotline="028-8555-6600", email="",
         legal_email="fawu@rxtz.example.cn", legal_phone="028-8555-6618", website="",
         seal_text="四川蓉信投资咨询有限公司",
         payment_account={"bank": "中国建设银行成都武侯支行",
                          "bank_en": "China Construction Bank, Chengdu Wuhou Sub-branch",
                          "account_name": "四川蓉信投资咨询有限公司",
                          "account_name_en": "Sichuan Rongxin Investment Consulting Co., Ltd.",
                          "account_no": "51050142610800001234"}),
]

# A second lender without a licence, lending now and then like RXTZ: the demo gives it every other
# case the rotation gives RXTZ, so neither lends often enough for its own record to contradict its
# recorded practice (CN-32's record: 10 loans in 2 years, 法发〔2019〕24号 art. 1), as 12 did.
RXTZ_TWIN = dict(
    code="JCSW", name="成都锦程商务信息咨询有限公司",
    name_en="Chengdu Jincheng Business Information Consulting Co., Ltd.",
    licence_type="non_licensed", licence_no="", uscc="91510107MA6D2K7H5Y", credit_system="",
    lending_practice="occasional",
    legal_rep="孙立群", legal_rep_title="执行董事", address="四川省成都市武侯区科华北路65号",
    postal_code="610041", hotline="028-8523-4100", email="",
    legal_email="fawu@jcsw.example.cn", legal_phone="028-8523-4108", website="",
    seal_text="成都锦程商务信息咨询有限公司",
    payment_account={"bank": "中国工商银行成都科华支行",
                     "bank_en": "Industrial and Commercial Bank of China, Chengdu Kehua Sub-branch",
                     "account_name": "成都锦程商务信息咨询有限公司",
                     "account_name_en": "Chengdu Jincheng Business Information Consulting Co., Ltd.",
                     "account_no": "4402219009100045678"})
US_LENDER = dict(code="LKCC", name="Lakeside Consumer Credit, LLC", name_en="Lakeside Consumer Credit, LLC",
                 profile="US", licence_type="other_licensed", licence_no="", uscc="EIN 36-4455667",
                 # licensed in each state it lends in, under that state's law (US-15 "licence_kinds"); the
                 # NMLS ID is the registry's number for the company, named beside a licence, never as one
                 nmls_id="1234567",
                 licences=[{"state": "CA", "kind": "cfl", "number": "60DBO-112233", "issued_on": date(2019, 3, 14)},
                           {"state": "IL", "kind": "consumer_installment_lender", "number": "CI.0004521",
                            "issued_on": date(2018, 9, 10)},
                           {"state": "NY", "kind": "licensed_lender", "number": "LL 10452",
                            "issued_on": date(2020, 6, 1)},
                           {"state": "TX", "kind": "regulated_lender", "number": "1300012345",
                            "issued_on": date(2021, 2, 22)}],
                 legal_rep="Margaret Ellis", legal_rep_title="President",
                 address="200 West Adams Street, Suite 1500, Chicago, IL 60606", postal_code="60606",
                 hotline="1-800-555-0142", email="accounts@lakeside.example.com",
                 legal_email="legal@lakeside.example.com", legal_phone="312-555-0187",
                 website="www.lakeside.example.com",
                 seal_text="",
                 payment_account={"bank": "First Midwest Bank", "bank_en": "First Midwest Bank",
                                  "account_name": "Lakeside Consumer Credit",
                                  "account_name_en": "Lakeside Consumer Credit", "account_no": "004412339871"},
                 creditor_role="original_creditor")
# A third-party collector working Lakeside's early-stage accounts: it sends the validation notice
# (12 CFR 1006.34) and says it is a debt collector; Lakeside, the original creditor, files suit.
US_COLLECTOR = dict(code="PRRS", name="Prairie Recovery Services, LLC", name_en="Prairie Recovery Services, LLC",
                    profile="US", licence_type="other_licensed", licence_no="", nmls_id="2345678",
                    licences=[{"state": "IL", "kind": "collection_agency", "number": "017.020101",
                               "issued_on": date(2017, 5, 2)},
                              {"state": "CA", "kind": "debt_collector", "number": "10024-99",
                               "issued_on": date(2022, 1, 18)}],
                    uscc="EIN 36-7788990", legal_rep="Thomas Reed", legal_rep_title="Manager",
                    address="150 North Michigan Avenue, Suite 900, Chicago, IL 60601", postal_code="60601",
                    hotline="1-888-555-0199", email="disputes@prairie-recovery.example.com",
                    legal_email="legal@prairie-recovery.example.com", legal_phone="312-555-0163",
                    website="www.prairie-recovery.example.com", seal_text="",
                    payment_account={"bank": "First Midwest Bank", "bank_en": "First Midwest Bank",
                                     "account_name": "Prairie Recovery Services",
                                     "account_name_en": "Prairie Recovery Services", "account_no": "004412330055"},
                    creditor_role="debt_collector", collects_for="Lakeside Consumer Credit, LLC")

LAW_FIRMS: list[dict[str, Any]] = [
    dict(code="ZHLAW", name="北京正衡律师事务所", name_en="Beijing Zhengheng Law Firm", licence_no="31110000E00012345E",
         address="北京市朝阳区建国门外大街1号国贸大厦A座20层", postal_code="100004", phone="010-6505-1200",
         lead_lawyer="孙立新", lead_lawyer_licence="11101201510123456", lead_lawyer_phone="13901012345",
         lead_lawyer_email="sunlixin@zhenghenglaw.example.cn"),
    dict(code="MDLAW", name="上海明德律师事务所", name_en="Shanghai Mingde Law Firm", licence_no="31310000E00067890Q",
         address="上海市黄浦区中山东一路18号8楼", postal_code="200002", phone="021-6321-8800",
         lead_lawyer="钱雅婷", lead_lawyer_licence="13101201410654321", lead_lawyer_phone="13817654321",
         lead_lawyer_email="qianyating@mingdelaw.example.cn"),
    dict(code="HCLAW", name="Harper & Cole LLP", name_en="Harper & Cole LLP", licence_no="IL ARDC 6301234",
         profile="US",
         address="77 West Wacker Drive, Suite 4100, Chicago, IL 60601", postal_code="60601", phone="312-555-0190",
         lead_lawyer="Daniel Harper", lead_lawyer_licence="ARDC 6301234", lead_lawyer_phone="312-555-0191",
         lead_lawyer_email="dharper@harpercole.example", lead_lawyer_bars={"IL": "6301234", "TX": "24081234",
                                                                      "CA": "318842", "NY": "5298413"}),
]

US_PEOPLE = [
    ("James Miller", "male", "America/Chicago", "1452 N Damen Ave, Chicago, IL 60622"),
    ("Maria Garcia", "female", "America/Los_Angeles", "880 S Figueroa St Apt 12, Los Angeles, CA 90017"),
    ("Robert Johnson", "male", "America/New_York", "31 Clinton St, Brooklyn, NY 11201"),
    ("Linda Chen", "female", "America/Chicago", "2210 W Alabama St, Houston, TX 77098"),
    ("Emily Davis", "female", "America/New_York", "455 W 34th St Apt 8, New York, NY 10001"),
]

# US-28: the court designation legal staff record for a demo suit, by what the court takes (the state
# table's designation "field"): the Texas borrower lives in Houston (Harris County), whose Justice Court
# for her address is that of Precinct 1 (Place 2 the one chosen), and whose civil district courts
# include the 189th.
COURT_DESIGNATIONS = {"precinct and place": "Precinct 1, Place 2", "judicial district": "189th Judicial District"}

# Badge numbers without the prefix: a badge carries the visiting lender's own code (HXCF-0231, JNBK-0231).
VISIT_STAFF = [("王建国", "0231"), ("李明辉", "0417"), ("赵晓军", "0522"), ("刘海涛", "0613"),
               ("陈思雨", "0708"), ("周立强", "0815")]
# The teams of two that go on the visits still to be made, in turn: no one is booked on two visits
# at once (CN-09; history._book gives each visit the first team free in its slot).
VISIT_TEAMS = [(("王建国", "0231"), ("李明辉", "0417")), (("赵晓军", "0522"), ("刘海涛", "0613")),
               (("陈思雨", "0708"), ("周立强", "0815")), (("孙文博", "0926"), ("杨雪梅", "1034")),
               (("黄志远", "1142"), ("吴佳怡", "1257")), (("徐振华", "1363"), ("马丽娜", "1478")),
               (("胡永刚", "1581"), ("郭静怡", "1694")), (("何建平", "1702"), ("高晓燕", "1819"))]

# What a lender's business licence (营业执照) lists as its business, by licence type (the demo's scans).
BUSINESS_SCOPES = {
    "bank": "吸收公众存款；发放短期、中期和长期贷款；办理国内外结算；经国家金融监督管理机构批准的其他业务",
    "consumer_finance": "发放个人消费贷款；接受股东境内子公司及境内股东的存款；向境内金融机构借款；经批准的其他业务",
    "micro_loan": "在批准的行政区域内发放小额贷款；经地方金融管理部门批准的其他业务",
    "other_licensed": "商业保理业务；与商业保理相关的咨询服务（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
    "non_licensed": "投资咨询；企业管理咨询；商务信息咨询（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
}
