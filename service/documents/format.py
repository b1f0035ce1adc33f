"""Jinja filters: how money, dates and identifiers look on a document.

Templates receive raw values (``Decimal`` amounts, ``date`` objects, unmasked strings only when
the audience is a court) and format them with these filters, so the wording stays in the
templates and the formatting rules live in one place.
"""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import cn2an
from pypinyin import Style, lazy_pinyin

from service.documents.typography import whole

CENT = Decimal("0.01")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _cents(amount: Decimal | int | str) -> Decimal:
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal | int | str) -> str:
    """12345.6 -> '12,345.60' (figures with thousands separators, two decimals)."""
    value = _cents(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,.2f}"


def usd(amount: Decimal | int | str) -> str:
    """12345.6 -> '$12,345.60'; negative amounts as '-$5.00'."""
    value = _cents(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def amount(value: Decimal | int | str, currency: str) -> str:
    """An amount with its currency as English text shows it: '$1,234.50', 'RMB 1,234.50'."""
    if currency == "USD":
        return usd(value)
    return f"{'RMB' if currency == 'CNY' else currency} {money(value)}"


def figure(value: Decimal | int | str, currency: str) -> str:
    """An amount as a document's running text writes it: '$1,234.50', or '1,234.50' where the
    wording around it names the currency (元)."""
    return usd(value) if currency == "USD" else money(value)


def cn_upper(amount: Decimal | int | str, prefix: str = "人民币") -> str:
    """12345.67 -> '人民币壹万贰仟叁佰肆拾伍元陆角柒分' (大写, via cn2an).

    cn2an spells an amount ending in whole yuan as '…元整'; zero is '零元整'. Negative amounts
    are refused: a capital amount on a legal document is always a sum owed or paid.
    """
    value = _cents(amount)
    if value < 0:
        raise ValueError(f"cn_upper: negative amount {value}")
    if value == 0:
        return f"{prefix}零元整"
    return prefix + str(cn2an.an2cn(f"{value:f}", "rmb"))


def cn_number(value: int) -> str:
    """7 -> '七' (small counts written in words, e.g. '七日内')."""
    return str(cn2an.an2cn(int(value), "low"))


_CN_NUMBER = r"[〇零一二三四五六七八九十百\d]+"
_CN_CLAUSE = re.compile(rf"第([〇零一二三四五六七八九十百\d.]+)条(?:第({_CN_NUMBER})款)?(?:第({_CN_NUMBER})项)?")


def clause_en(ref: str) -> str:
    """A Chinese clause reference in English: '第七条第一款' -> 'Article 7(1)', '第6.2条' -> 'Article 6.2';
    anything else ('§3') unchanged."""
    def number(text: str) -> str:
        return text if text[0].isdigit() else str(cn2an.cn2an(text, "smart"))

    match = _CN_CLAUSE.fullmatch(ref.strip())
    if not match:
        return ref
    article, paragraph, item = match.groups()
    return f"Article {number(article)}" + "".join(f"({number(x)})" for x in (paragraph, item) if x)


def date_cn(value: date | datetime) -> str:
    """2026-11-28 -> '2026年11月28日'."""
    return f"{value.year}年{value.month}月{value.day}日"


def datetime_cn(value: datetime) -> str:
    """A local date-time -> '2026年11月28日 14:30'."""
    return f"{date_cn(value)} {value:%H:%M}"


def time_hm(value: datetime) -> str:
    """A local time of day -> '14:30'."""
    return f"{value:%H:%M}"


def date_en(value: date | datetime) -> str:
    """2026-11-28 -> 'November 28, 2026'."""
    return f"{_MONTHS_EN[value.month - 1]} {value.day}, {value.year}"


def long_date(value: date | datetime, locale: str) -> str:
    """A date as a document in `locale` writes it in running text."""
    return date_cn(value) if locale == "zh-CN" else date_en(value)


def time_en(value: datetime) -> str:
    """A local time of day in English -> '2:30 PM' (the clock datetime_en uses)."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def datetime_en(value: datetime) -> str:
    """A local date-time -> 'November 28, 2026, 2:30 PM'."""
    return f"{date_en(value)}, {time_en(value)}"


def sentence_end(name: str) -> str:
    """A name that ends an English sentence, with the sentence's period: 'Acme Bank' -> 'Acme Bank.',
    but 'Huaxin Consumer Finance Co., Ltd.' keeps its one period (never 'Ltd..')."""
    return name if name.endswith(".") else f"{name}."


def percent(rate: Decimal) -> str:
    """Decimal('0.18') -> '18%'; Decimal('0.1825') -> '18.25%'."""
    text = f"{(Decimal(rate) * 100).normalize():f}"
    return f"{text}%"


_US_LAST_LINE = re.compile(r",\s*([^,]+,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?)$")


def address_lines(address: str) -> list[str]:
    """A US postal address on the lines an envelope gives it: the delivery line(s), then city,
    state and ZIP code — '880 S Figueroa St Apt 12, Los Angeles, CA 90017' -> ['880 S Figueroa St
    Apt 12,', 'Los Angeles, CA 90017']. The comma stays where it was, so the lines read together are
    the address as recorded. Any other address is one line."""
    match = _US_LAST_LINE.search(address)
    if match is None or match.start() == 0:
        return [address]
    return [address[:match.start() + 1], match.group(1)]


_NANP = re.compile(r"[2-9]\d{2}[2-9]\d{6}")  # area code and exchange each begin 2-9


def us_phone(number: str) -> str:
    """A North American number as a US paper prints it: '+1-312-555-0158', '(312) 555 0158' ->
    '312-555-0158' (ten digits, the country code dropped); any other number as recorded."""
    written, digits = number.strip(), re.sub(r"\D", "", number)
    if written.startswith("+1") and len(digits) == 11:
        digits = digits[1:]
    elif written.startswith("+") or len(digits) != 10:
        return number
    if not _NANP.fullmatch(digits):
        return number
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


# --- masking (CN-12 / US-13 parameters come from the rule sets; see contexts/common.py) ---

def mask_name(name: str) -> str:
    """'张伟' -> '张*', '欧阳娜娜' -> '欧***'; Latin names keep the first word's initial: 'J. M.'."""
    if not name:
        return ""
    if name.isascii():
        return " ".join(f"{part[0]}." for part in name.split())
    return name[0] + "*" * (len(name) - 1)


# --- a Chinese person's name in an English document ---

# Surnames of two characters (复姓), read as one surname: 欧阳娜娜 is OUYANG Nana, not OU Yangnana.
_COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
    "令狐", "钟离", "端木", "独孤", "南宫", "澹台", "呼延", "万俟", "闻人", "东郭", "西门", "公羊", "申屠", "太史",
    "淳于", "单于", "百里", "拓跋", "赫连", "第五"))
# A surname read otherwise than the character's common reading (单 is Shan as a surname, not Dan).
_SURNAME_READINGS = {"单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
                     "盖": "ge", "乐": "yue", "覃": "qin", "翟": "zhai", "缪": "miao", "召": "shao", "秘": "bi",
                     "种": "chong", "句": "gou", "繁": "po", "员": "yun", "尉迟": "yuchi", "万俟": "moqi",
                     "长孙": "zhangsun", "单于": "chanyu", "朝": "chao", "薄": "bo", "黑": "he", "重": "chong",
                     "尉": "yu"}
_HAN = re.compile(r"^[\u3400-\u9fff]+$")


def _syllables(han: str) -> str:
    """Pinyin without tones, the syllables of one name part run together, with the apostrophe
    before a syllable beginning with a, o or e (Xi'an, not Xian); ü as ü (GB/T 28039-2011)."""
    out = ""
    for syllable in lazy_pinyin(han, style=Style.NORMAL, v_to_u=True):
        out += ("'" if out and syllable[:1] in "aoe" else "") + syllable
    return out


def person_en(name: str, recorded: str = "", note: str = "") -> str:
    """A Chinese person's name as an English document prints it: the surname in capitals, then
    the given name, in pinyin (GB/T 28039-2011 6.1, the surname capitalised as legal English
    does), and the name in Chinese after it: '张三' -> 'ZHANG San (张三)', '欧阳娜娜' -> 'OUYANG Nana
    (欧阳娜娜)'. `recorded`: the person's own spelling where one is on file (a passport's), which
    takes the place of the pinyin. `note`: what the brackets add ('ZHANG San (张三, ID No. …)').
    A name not in Chinese characters is printed as it is (with the note in brackets)."""
    name, recorded = name.strip(), recorded.strip()
    if recorded and recorded != name:  # a foreign name in Chinese characters (约翰·史密斯) too: John Smith
        spelled = recorded
    elif not _HAN.match(name):
        return f"{name} ({note})" if note else name
    else:
        cut = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
        surname, given = name[:cut], name[cut:]
        family = _SURNAME_READINGS.get(surname) or _syllables(surname)
        spelled = family.upper() + (f" {_syllables(given).capitalize()}" if given else "")
    return f"{spelled} ({name}{', ' + note if note else ''})"


FILTERS = {
    "money": money,
    "usd": usd,
    "amount": amount,
    "cn_upper": cn_upper,
    "cn_number": cn_number,
    "clause_en": clause_en,
    "date_cn": date_cn,
    "datetime_cn": datetime_cn,
    "date_en": date_en,
    "time_hm": time_hm,
    "time_en": time_en,
    "datetime_en": datetime_en,
    "sentence_end": sentence_end,
    "percent": percent,
    "mask_name": mask_name,
    "address_lines": address_lines,
    "us_phone": us_phone,
    "whole": whole,
    "person_en": person_en,
}
