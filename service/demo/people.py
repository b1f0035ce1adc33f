"""Deterministic fictional people: names, valid ID numbers, phones and addresses."""

from datetime import date, timedelta
from random import Random

from stdnum.cn import ric

from service.demo.data import (
    COMMUNITIES,
    EMPLOYERS,
    ETHNICITIES,
    GIVEN,
    OCCUPATIONS,
    REGIONS,
    RELATIONS,
    SURNAMES,
    US_PEOPLE,
)


def cn_id_number(rng: Random, region: str, birth: date, female: bool) -> str:
    """A resident ID with a valid check digit (GB 11643): region, birth date, sequence, check."""
    seq = rng.randrange(10, 99) * 10 + (rng.randrange(0, 10, 2) if female else rng.randrange(1, 10, 2))
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def cn_mobile(rng: Random) -> str:
    return rng.choice(["138", "139", "135", "136", "150", "151", "158", "186", "187", "177", "199"]) + \
        f"{rng.randrange(10**8):08d}"


def _identity(rng: Random, anchor: date, female: bool) -> tuple[tuple[str, str, str, list[str]], date, str]:
    """Draw a region and birth date until python-stdnum accepts the number (its division-code
    table knows when each code was in use, so some pairs are not valid)."""
    while True:
        region = rng.choice(REGIONS)
        birth = anchor - timedelta(days=rng.randrange(22 * 365, 58 * 365))
        number = cn_id_number(rng, region[0], birth, female)
        if ric.is_valid(number):
            return region, birth, number


def cn_person(rng: Random, anchor: date) -> dict[str, object]:
    female = rng.random() < 0.45
    (_code, city, district, streets), birth, id_number = _identity(rng, anchor, female)
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    address = (f"{city}{district}{rng.choice(streets)}{rng.randrange(1, 300)}号"
               f"{rng.choice(COMMUNITIES)}{rng.randrange(1, 20)}栋{rng.randrange(1, 30)}0{rng.randrange(1, 5)}室")
    hukou = address if rng.random() < 0.6 else (
        f"{rng.choice(['河南省周口市', '安徽省阜阳市', '湖南省邵阳市', '江西省赣州市', '四川省南充市'])}"
        f"{rng.choice(['城关镇', '新华街道', '解放路'])}{rng.randrange(1, 99)}号")
    idx = rng.randrange(len(EMPLOYERS))
    return {
        "name": name, "gender": "女" if female else "男", "birth_date": birth,
        "ethnicity": rng.choice(ETHNICITIES), "id_type": "cn_resident_id",
        "id_number": id_number,
        "phones": [{"number": cn_mobile(rng), "label": "mobile"}],
        "email": "", "hukou_address": hukou, "habitual_address": address,
        "postal_code": f"{rng.randrange(100000, 800000):06d}", "employer": EMPLOYERS[idx],
        "occupation": OCCUPATIONS[idx], "timezone": "Asia/Shanghai",
        "language": "en-US" if rng.random() < 0.06 else "zh-CN",
    }


def cn_contacts(rng: Random) -> list[dict[str, object]]:
    return [{"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "relation": rng.choice(RELATIONS),
             "phone": cn_mobile(rng), "debt_related": False} for _ in range(rng.randrange(1, 3))]


def us_ssn(rng: Random) -> str:
    # Area 001–665 or 667–899, group 01–99, serial 0001–9999 (never the advertised samples).
    area = rng.choice([a for a in range(100, 666)])
    return f"{area:03d}-{rng.randrange(1, 100):02d}-{rng.randrange(1, 10000):04d}"


def us_person(rng: Random, anchor: date, k: int) -> dict[str, object]:
    name, gender, tz, address = US_PEOPLE[k % len(US_PEOPLE)]
    return {
        "name": name, "name_en": name, "gender": gender,
        "birth_date": anchor - timedelta(days=rng.randrange(25 * 365, 60 * 365)),
        "id_type": "us_ssn", "id_number": us_ssn(rng),
        "phones": [{"number": f"+1-312-555-{rng.randrange(100, 199):04d}", "label": "mobile"}],
        "email": name.lower().replace(" ", ".") + "@mail.example.com", "hukou_address": address,
        "habitual_address": address, "postal_code": address[-5:], "employer": "", "occupation": "",
        "timezone": tz, "language": "en-US",
    }
