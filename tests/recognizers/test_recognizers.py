"""Each built-in recognizer on synthetic pages, read back through the client's own parser."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from lingyun.recognizers import read_bankcard, read_bizcard, read_idcard_back, read_idcard_front
from lingyun.recognizers.scoring import flatten
from lingyun.results import BankCardResult, BizCardResult, TemplateResult

from .conftest import layout, parse

FRONT = [
    ("姓 名 赵演示", 40, 40), ("性 别 男    民 族 蒙古", 40, 90),
    ("出 生 1903 年 7 月 4 日", 40, 140),
    ("住 址 样本省示例市测试区", 40, 190), ("演示路8号", 140, 220),
    ("公民身份号码", 40, 330), ("11010219030704001X", 220, 330),
]


def test_idcard_front_reads_every_field_in_the_vendor_shape():
    data = read_idcard_front(layout(FRONT))
    result = parse("idcard.front", data)
    assert isinstance(result, TemplateResult)
    assert flatten(result) == {
        "id_number": "11010219030704001X", "ethnicity": "蒙古", "name": "赵演示", "sex": "男",
        "birth_date": "19030704", "birth_year": "1903", "birth_month": "07", "birth_day": "04",
        "address": "样本省示例市测试区演示路8号",
    }
    assert result["birth_date"].box is None  # a composite cell: the vendor's "0" box
    assert result["birth_month"].box is not None
    assert result.form_version == "lingyun-local-1"  # says who read it


def test_idcard_front_finds_values_whose_pale_labels_went_unread():
    # the labels 性别, 出生 and 住址 are gone, and so is the 年 of the birth date
    page = layout([("姓名 赵演示", 40, 40), ("男", 140, 90), ("民族 蒙古", 260, 90),
                   ("1903 7月4日", 140, 140), ("样本省示例市测试区", 140, 190),
                   ("演示路8号", 140, 220), ("11010219030704001X", 220, 330)])
    values = flatten(parse("idcard.front", read_idcard_front(page)))
    assert values["sex"] == "男" and values["birth_date"] == "19030704"
    assert values["address"] == "样本省示例市测试区演示路8号"


def test_idcard_front_prefers_the_number_whose_check_character_is_right():
    wrong = "110102190307040012"
    page = layout([*FRONT[:-1], (wrong, 220, 330), ("11010219030704001X", 220, 400)])
    assert not ric.is_valid(wrong)
    assert parse("idcard.front", read_idcard_front(page))["id_number"].value == \
        "11010219030704001X"


def test_idcard_front_leaves_out_what_it_cannot_find():
    result = parse("idcard.front", read_idcard_front(layout([("姓名 钱样本", 40, 40)])))
    assert flatten(result) == {"name": "钱样本"}


def test_idcard_back_answers_the_period_the_vendor_way():
    page = layout([("中华人民共和国", 200, 30), ("签发机关 样本市公安局", 80, 260),
                   ("有效期限 2015.03.07-长期", 80, 310)])
    result = parse("idcard.back", read_idcard_back(page))
    assert flatten(result) == {"issuing_authority": "样本市公安局",
                               "valid_period": "20150307-长期"}
    page = layout([("有效期限", 80, 310), ("2015.03.07-2035.03.07", 200, 310)])
    assert parse("idcard.back", read_idcard_back(page))["valid_period"].value == \
        "20150307-20350307"


def luhn_number(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


@settings(max_examples=40, deadline=None)
@given(body=st.text("0123456789", min_size=12, max_size=18), seed=st.integers(0, 10**6))
def test_bankcard_number_is_the_luhn_valid_run_with_a_box_per_digit(body, seed):
    number = luhn_number(body)
    rng = random.Random(seed)
    grouped = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    page = layout([("样本银行", 40, 30), ("95588", 400, 30), (grouped, 40, 200),
                   (f"VALID THRU {rng.randrange(1, 13):02d}/{rng.randrange(20, 40)}", 200, 260),
                   ("CE SHI", 40, 320)], size=(900, 400))
    data = read_bankcard(page)
    result = parse("bankcard", data)
    assert isinstance(result, BankCardResult)
    assert result.number == number
    assert "".join(d.char for d in result.digits) == number
    row = page.first(number[:4])
    assert row is not None
    boxes = [d.box for d in result.digits]
    assert all(b.left < b2.left for b, b2 in itertools.pairwise(boxes))
    assert all(row.line.box[1] <= b.top and b.bottom <= row.line.box[3] for b in boxes)
    assert result.bank_name == "样本银行" and result.holder == "CE SHI"


def test_bankcard_without_a_valid_number_answers_the_run_as_read():
    page = layout([("6200 0000 0000 0006", 40, 200)])
    assert not luhn.is_valid("6200000000000006")
    assert parse("bankcard", read_bankcard(page)).number == "6200000000000006"


def test_bankcard_never_invents_what_the_card_does_not_say():
    result = parse("bankcard", read_bankcard(layout([("hello", 40, 40)])))
    assert result.number is None and result.digits == []
    assert result.bank_id is None and result.card_name is None and result.holder is None


def test_bankcard_finds_the_number_inside_a_longer_run():
    number = "6205500000000000004"
    page = layout([("8888 " + number[:6] + " " + number[6:], 40, 200)])
    assert parse("bankcard", read_bankcard(page)).number == number


def test_bizcard_items_by_label_and_by_shape():
    page = layout([
        ("演示软件有限公司", 30, 20), ("周测试", 40, 80), ("销售部", 200, 80),
        ("高级工程师", 200, 110),
        ("手机：138 0000 1234", 40, 170), ("Tel:010-66668888", 40, 200),
        ("传真：010-66669999", 40, 230), ("demo1@example.com", 40, 260),
        ("www.example.cn", 40, 290), ("地址：北京市海淀区样本路8号", 40, 320),
        ("邮编：100080", 40, 350),
    ], size=(700, 400), char_height=24)
    result = parse("bizcard", read_bizcard(page))
    assert isinstance(result, BizCardResult)
    assert flatten(result) == {
        "name": ["周测试"], "company": ["演示软件有限公司"], "department": ["销售部"],
        "title": ["高级工程师"], "tel_cell": ["13800001234"], "tel": ["010-66668888"],
        "fax": ["010-66669999"], "email": ["demo1@example.com"], "url": ["www.example.cn"],
        "adr": ["北京市海淀区样本路8号"], "postalcode": ["100080"],
    }
    entry = result["tel_cell"]
    assert entry.name == "手机" and entry.confidence.value == 0.99 and entry.box is not None


def test_bizcard_a_latin_label_needs_a_break_after_it():
    page = layout([("Telecom Sample Co., Ltd", 40, 40), ("Tel 010-66668888", 40, 100)])
    items = flatten(parse("bizcard", read_bizcard(page)))
    assert items["company"] == ["Telecom Sample Co., Ltd"]
    assert items["tel"] == ["010-66668888"]


def test_bizcard_splits_department_and_title_printed_on_one_line():
    page = layout([("王样本", 40, 40), ("研发部 技术总监", 40, 100)])
    items = flatten(parse("bizcard", read_bizcard(page)))
    assert items["department"] == ["研发部"] and items["title"] == ["技术总监"]
