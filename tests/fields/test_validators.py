"""Check digits: valid numbers generated with their check digit pass, one changed digit fails.

The generators compute check digits from the published algorithms, independently of
python-stdnum and of :mod:`lingyun.fields.validators`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lingyun.fields import Period
from lingyun.fields import validators as v

# --- resident ID (GB 11643: ISO 7064 MOD 11-2) ------------------------------------------------

RIC_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
REGIONS = ["110101", "310104", "440305", "510107", "650102"]  # real county codes


def ric_check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, RIC_WEIGHTS, strict=True)) % 11]


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(REGIONS))
    birth = draw(st.dates(datetime.date(1950, 1, 1), datetime.date(2010, 12, 31)))
    sequence = draw(st.integers(0, 999))
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + ric_check(first17)


def test_ric_weights_are_the_published_ones() -> None:
    assert RIC_WEIGHTS == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@settings(deadline=None)  # a shared machine: timing is no property
@given(resident_ids())
def test_valid_resident_ids_pass(number: str) -> None:
    assert v.resident_id.run(number) == []


@settings(deadline=None)  # a shared machine: timing is no property
@given(resident_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_one_character_change_fails(number: str, position: int, new: str) -> None:
    assume(new != number[position] and (position == 17 or new != "X"))
    changed = number[:position] + new + number[position + 1:]
    assert v.resident_id.run(changed)


def test_resident_id_messages() -> None:
    problems = v.resident_id.run("200825199103112345")   # the vendor example
    assert "check digit is 5, the other digits give 7" in problems
    assert "region code 200825 is unknown" in problems
    assert v.resident_id.run("*****") == ["'*****' is not 17 digits and a check character"]


def test_id_birth_date_and_sex_cross_checks() -> None:
    number = "11010119900307001" + ric_check("11010119900307001")   # 17th digit 1: male
    birth = v.id_birth_date("birth_date")
    sex = v.id_sex("sex")
    assert birth.uses == ("birth_date",) and sex.uses == ("sex",)
    assert birth.run(number, datetime.date(1990, 3, 7)) == []
    assert birth.run(number, datetime.date(1990, 3, 8)) == [
        "the number gives birth date 1990-03-07, birth_date says 1990-03-08"]
    assert sex.run(number, "M") == []
    assert sex.run(number, "F") == ["the number gives sex M, sex says F"]


# --- Luhn ------------------------------------------------------------------------------------

def luhn_check(payload: str) -> str:
    total = 0
    for i, d in enumerate(reversed(payload)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str(-total % 10)


@settings(deadline=None)  # a shared machine: timing is no property
@given(st.text("0123456789", min_size=11, max_size=18))
def test_luhn_valid_pass_and_one_digit_change_fails(payload: str) -> None:
    number = payload + luhn_check(payload)
    assert v.bank_card_luhn.run(number) == []
    for position in range(len(number)):
        changed = number[:position] + str((int(number[position]) + 7) % 10) + number[position + 1:]
        assert v.bank_card_luhn.run(changed) == [f"{changed!r} fails the Luhn check"]


def test_luhn_shape() -> None:
    assert v.bank_card_luhn.run("5184763207804055") == []   # the vendor example
    assert v.bank_card_luhn.run("1234") == ["'1234' is not 12 to 19 digits"]


# --- USCC, registration number, tax ID ---------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [3 ** i % 31 for i in range(17)]


def uscc_check(first17: str) -> str:
    pairs = zip(first17, USCC_WEIGHTS, strict=True)
    return USCC_CHARS[-sum(USCC_CHARS.index(c) * w for c, w in pairs) % 31]


def org_code_check(eight: str) -> str:
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in eight]
    check = 11 - sum(x * w for x, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    org = draw(st.text("0123456789ABCDEFGHJKLMNPQRTUWXY"[:10], min_size=8, max_size=8))
    first17 = "91" + draw(st.sampled_from(REGIONS)) + org + org_code_check(org)
    return first17 + uscc_check(first17)


@settings(deadline=None)  # a shared machine: timing is no property
@given(credit_codes())
def test_valid_credit_codes_pass(code: str) -> None:
    assert v.uscc.run(code) == []
    assert v.registration_number.run(code) == []
    assert v.tax_id.run(code) == []


@settings(deadline=None)  # a shared machine: timing is no property
@given(credit_codes(), st.integers(0, 17), st.sampled_from("0123456789"))
def test_credit_code_change_fails(code: str, position: int, new: str) -> None:
    assume(new != code[position])
    assert v.uscc.run(code[:position] + new + code[position + 1:])


def test_registration_numbers() -> None:
    def mod_11_10(payload: str) -> str:   # ISO 7064 MOD 11,10
        p = 10
        for d in payload:
            s = (p + int(d)) % 10 or 10
            p = s * 2 % 11
        return str((11 - p) % 10)

    number = "11010500000123" + mod_11_10("11010500000123")
    assert v.registration_number.run(number) == []
    assert v.registration_number.run(number[:-1] + str((int(number[-1]) + 1) % 10))
    assert v.registration_number.run("12345678\\12345678") == [   # the bl example
        "'12345678\\\\12345678' is neither an 18-character credit code nor a 15-digit number"]
    assert v.tax_id.run("440604586377824") == []                   # the vsi seller's
    assert v.tax_id.run("*")


# --- VIN, HKID, MRZ ----------------------------------------------------------------------------

@pytest.mark.parametrize("good", ["1M8GDM9AXKP042788", "11111111111111111", "LSVAA4182E2111110"])
def test_known_vins(good: str) -> None:
    if good.startswith("LSV"):  # make the Chinese one valid with its computed check
        good = good[:8] + _vin_check(good) + good[9:]
    assert v.vin.run(good) == []


def _vin_check(vin: str) -> str:
    table = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9,
                                                  2, 3, 4, 5, 6, 7, 8, 9], strict=True))
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    pairs = zip(vin, weights, strict=True)
    total = sum((int(c) if c.isdigit() else table[c]) * w for c, w in pairs)
    return "0123456789X"[total % 11]


@settings(deadline=None)  # a shared machine: timing is no property
@given(st.text("0123456789ABCDEFGHJKLMNPRSTUVWXYZ", min_size=17, max_size=17),
       st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16]))
def test_vin_digit_change_fails(vin: str, position: int) -> None:
    vin = vin[:8] + _vin_check(vin) + vin[9:]
    assert v.vin.run(vin) == []
    if vin[position].isdigit():  # a digit changed by 1: the weighted sum changes by 1..10
        changed = vin[:position] + str((int(vin[position]) + 1) % 10) + vin[position + 1:]
        assert v.vin.run(changed)


def test_vin_messages() -> None:
    assert v.vin.run("1C4NJDGB2EDXXXXXX") == ["check character is 2, expected 9"]  # vsi
    assert v.vin.run("LSVAA***********") == ["'LSVAA***********' has 16 characters, a VIN has 17"]
    assert v.vin.run("LSVAA4182E21111IO") == [
        "'LSVAA4182E21111IO' contains 'IO', not allowed in a VIN"]


def test_hong_kong_identity_card() -> None:
    assert v.hk_identity_card.run("A123456(3)") == []
    assert v.hk_identity_card.run("A1234563") == []
    assert v.hk_identity_card.run("A123456(4)") == ["check digit is 4, expected 3"]
    assert v.hk_identity_card.run("M12345(1)")   # the vendor example: five digits


ICAO_SPECIMEN = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_passport_mrz_icao_specimen() -> None:
    assert v.mrz_passport.run(ICAO_SPECIMEN) == []
    broken = ICAO_SPECIMEN[:13] + "8" + ICAO_SPECIMEN[14:]    # birth date 840812
    assert v.mrz_passport.run(broken) == [
        "birth date check digit is '2', expected 9", "composite check digit is wrong"]
    assert v.mrz_passport.run("E123456789CHN123456789F1234562NFMFOCPJ<<<<A568") == [  # pcn
        "46 characters; a passport's second MRZ line is 44 of A-Z, 0-9, <"]


@settings(deadline=None)  # a shared machine: timing is no property
@given(st.integers(0, 8), st.integers(1, 9))
def test_permit_mrz_number_change_fails(position: int, delta: int) -> None:
    line = "CSC000000004<2404015<8108038<6"   # the pid example, valid
    assert v.mrz_permit.run(line) == []
    at = 2 + position
    new = str((int(line[at]) + delta) % 10) if line[at].isdigit() else "D"
    assert v.mrz_permit.run(line[:at] + new + line[at + 1:])


def test_mrz_matches_printed_fields() -> None:
    number = v.mrz_matches("number", "document_number")
    birth = v.mrz_matches("birth_date", "birth_date")
    expiry = v.mrz_matches("expiry_date", "valid_period")
    line = "CSC000000004<2404015<8108038<6"
    assert number.run(line, "C00000000") == []
    assert number.run(line, "C00000001") == [
        "MRZ number C00000000 differs from document_number C00000001"]
    assert birth.run(line, datetime.date(1981, 8, 3)) == []
    assert expiry.run(line, Period(datetime.date(2014, 4, 2), datetime.date(2024, 4, 1))) == []
    assert v.mrz_matches("birth_date", "birth_date").run(ICAO_SPECIMEN,
                                                         datetime.date(1974, 8, 12)) == []


def test_amount_checks() -> None:
    words = v.amount_matches_words("total_in_words")
    assert words.run(Decimal("230000.00"), Decimal("230000")) == []
    assert words.run(Decimal("230000.01"), Decimal("230000")) == [
        "figures say 230000.01, total_in_words says 230000"]
    total = v.sum_of("amount", "tax")
    assert total.run(Decimal("79124.76"), Decimal("67628.00"), Decimal("11496.76")) == []
    assert total.run(Decimal("79124.77"), Decimal("67628.00"), Decimal("11496.76"))
    tax = v.product_of("amount", "rate")
    assert tax.run(Decimal("33418.80"), Decimal("196581.20"), Decimal("0.17")) == []
    assert tax.run(Decimal("33418.80"), Decimal("196581.20"), Decimal("0.13"))


def test_contact_checks() -> None:
    assert [v.phone.run(p) for p in ("13800000000", "01012345678", "075786250415")] == [[]] * 3
    assert v.phone.run("12345") == ["'12345' is not a phone number"]
    assert v.email.run("support@xxxx.com") == []
    assert v.email.run("support@") == ["'support@' is not an e-mail address"]


def test_one_of_reports_every_alternative() -> None:
    either = v.one_of("buyer", v.resident_id, v.uscc)
    person = "11010119900307001" + ric_check("11010119900307001")
    assert either.run(person) == []
    problems = either.run("513022197512000000")   # the vsi buyer: month 12, day 00
    assert len(problems) == 1
    assert "cn.ric: " in problems[0] and "19751200" in problems[0] and "cn.uscc: " in problems[0]


def test_dates_that_must_have_happened() -> None:
    assert v.not_in_future.run(datetime.date(1991, 3, 16)) == []
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert v.not_in_future.run(tomorrow) == [
        f"{tomorrow} is in the future (today is {datetime.date.today()})"]


@pytest.mark.parametrize(("start", "end", "ok"), [
    ((2008, 8, 20), (2018, 8, 20), True),       # the idcard.back example: ten years
    ((2008, 8, 20), (2013, 8, 20), True),
    ((2008, 8, 20), (2028, 8, 20), True),
    ((2008, 2, 29), (2018, 2, 28), True),       # a leap day has no anniversary
    ((2008, 8, 20), (2018, 8, 21), False),
    ((2008, 8, 20), (2016, 8, 20), False),
])
def test_resident_id_card_validity(start: tuple, end: tuple, ok: bool) -> None:
    period = Period(datetime.date(*start), datetime.date(*end))
    assert (v.id_card_validity.run(period) == []) is ok
    assert v.id_card_validity.run(Period(datetime.date(*start), None)) == []
