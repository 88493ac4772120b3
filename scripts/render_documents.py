"""Render invented ID cards, bank cards and business cards for the local recognizers' tests.

Run by a developer (the PNGs and ``truths.json`` are committed; nothing renders at install
or test time).  It needs Pillow, python-stdnum and CJK fonts -- on Debian/Ubuntu
``apt-get install fonts-noto-cjk`` -- so the Chinese glyphs are real glyphs, not boxes.

    python scripts/render_documents.py                     # the committed test set
    python scripts/render_documents.py --out DIR --per-type 40 --seed 7   # a fresh set

Every value is invented, never a real person's:

* names are a common surname plus a given name such as 样本 or 测试 ("sample", "test");
* resident ID numbers are well formed -- a real region code, so that python-stdnum accepts
  them, and a correct check digit -- but their holders were born between 1900 and 1909;
* bank card numbers are the card networks' published *test* numbers (Luhn-valid, issued to
  no one); banks are invented (样本银行 ...);
* phone numbers are 138 0000 xxxx style, e-mail and web addresses use the reserved
  ``example.com`` / ``example.cn`` domains.

Each image varies layout (offsets, gaps, grouping), background, noise, blur and rotation
(a few degrees, as a card photographed on a table); ``truths.json`` records the expected
field values and the distortions used, so accuracy can be reported per distortion.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from stdnum.cn import ric

OUT = Path(__file__).resolve().parent.parent / "tests" / "recognizers" / "images"
CJK_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
CJK_SERIF_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SC_INDEX = 2  # Simplified Chinese face inside the Noto CJK collections

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("样本", "测试", "示例", "演示", "虚构", "模拟", "假名", "例文", "试卷", "范本")
ETHNICITIES = ("汉", "蒙古", "回", "藏", "壮", "满", "苗", "土家", "维吾尔", "彝")
#: County codes python-stdnum accepts for births in 1900-1909 (it checks the birth place).
REGIONS = ("110102", "110209", "120108", "120204", "310104")
STREETS = ("样本路", "测试大街", "示例巷", "虚构大道", "演示路", "模拟街")
BANKS = ("样本银行", "测试商业银行", "示例农村商业银行", "虚构发展银行", "演示银行")
#: Published test card numbers of the card networks (Luhn-valid, never issued).
TEST_CARDS = (
    "4111111111111111", "4012888888881881", "5555555555554444", "5105105105105100",
    "6200000000000005", "6205500000000000004", "3530111333300000", "6011111111111117",
    "378282246310005", "5200828282828210", "4000056655665556", "6011000990139424",
)
PINYIN = ("YANG BEN", "CE SHI", "SHI LI", "YAN SHI", "XU GOU", "MO NI", "JIA MING")
COMPANIES = ("样本科技有限公司", "测试信息技术股份有限公司", "示例咨询有限公司",
             "虚构文化传媒有限公司", "演示软件有限公司")
DEPARTMENTS = ("研发部", "市场部", "技术中心", "销售部")
TITLES = ("高级经理", "总经理", "技术总监", "产品经理", "高级工程师", "销售主管")
CITIES = ("北京市海淀区", "上海市浦东新区", "广州市天河区", "成都市武侯区", "杭州市西湖区")
DOMAINS = ("example.com", "example.cn", "example.net")


def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    index = SC_INDEX if path.endswith(".ttc") else 0
    if not Path(path).is_file():
        raise SystemExit(f"font {path} is missing: apt-get install fonts-noto-cjk fonts-dejavu")
    return ImageFont.truetype(path, size, index=index)


@dataclass
class Distortion:
    """How one rendered card is spoiled: rotation (degrees), noise sigma, blur radius."""

    rotation: float
    noise: float
    blur: float
    background: int

    def to_dict(self) -> dict[str, Any]:
        return {"rotation": self.rotation, "noise": self.noise, "blur": self.blur}


def distortion(rng: random.Random, index: int, strength: float = 1.0) -> Distortion:
    """Index 0 is clean; others mix rotation, noise and blur, harder as index grows
    (rotation up to 4.5 degrees and noise sigma up to 12 at ``strength`` 1)."""
    if index == 0:
        return Distortion(0.0, 0.0, 0.0, 200)
    level = index % 4
    rotation = round(rng.uniform(-1.0, 1.0) * (1.5 * level) * strength, 1)
    return Distortion(rotation, round((3.0 * level + rng.uniform(0, 3)) * strength, 1),
                      round(rng.choice((0.0, 0.0, 0.6, 0.9)) * (level > 1), 1),
                      rng.randrange(120, 220))


def spoil(card: Image.Image, how: Distortion, rng: random.Random) -> Image.Image:
    """The card photographed on a table: margin, rotation, blur, sensor noise; greyscale."""
    margin = 24
    table = Image.new("L", (card.width + 2 * margin, card.height + 2 * margin), how.background)
    table.paste(card.convert("L"), (margin, margin))
    if how.rotation:
        table = table.rotate(how.rotation, resample=Image.Resampling.BICUBIC, expand=True,
                             fillcolor=how.background)
    if how.blur:
        table = table.filter(ImageFilter.GaussianBlur(how.blur))
    pixels = np.asarray(table, dtype=np.float32)
    if how.noise:
        gen = np.random.default_rng(rng.randrange(2**32))
        pixels = pixels + gen.normal(0.0, how.noise, pixels.shape)
    # 16 grey levels in a 4-bit palette keep the PNGs small without hurting legibility
    levels = np.clip(pixels, 0, 255).astype(np.uint8) // 16
    image = Image.fromarray(levels, mode="L").convert("P")
    image.putpalette([v * 17 for v in range(16) for _ in range(3)])
    return image


# -- invented people and cards ---------------------------------------------------------
def invented_person(rng: random.Random) -> dict[str, str]:
    sex = rng.choice("男女")
    born = dt.date(1900, 1, 1) + dt.timedelta(days=rng.randrange(365 * 10))
    sequence = rng.randrange(0, 500) * 2 + (1 if sex == "男" else 0)
    head = f"{rng.choice(REGIONS)}{born:%Y%m%d}{sequence:03d}"
    number = head + ric.calc_check_digit(head + "0")  # it skips the last character
    assert ric.is_valid(number), number
    street = rng.choice(STREETS)
    address = f"样本省示例市测试区{street}{rng.randrange(1, 300)}号"
    if rng.random() < 0.6:
        address += f"{rng.randrange(1, 30)}栋{rng.randrange(1, 9)}单元{rng.randrange(101, 2999)}室"
    return {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "sex": sex,
        "ethnicity": rng.choice(ETHNICITIES),
        "birth_date": f"{born:%Y%m%d}",
        "birth_year": f"{born.year}",
        "birth_month": f"{born.month:02d}",
        "birth_day": f"{born.day:02d}",
        "address": address,
        "id_number": number,
    }


def idcard_front(rng: random.Random) -> tuple[Image.Image, dict[str, str]]:
    person = invented_person(rng)
    width, height = 640, 404
    card = Image.new("RGB", (width, height), (rng.randrange(236, 250), 242, 246))
    draw = ImageDraw.Draw(card)
    label_font = font(CJK_SANS, 19)
    value_font = font(CJK_SANS_BOLD, 22)
    number_font = font(MONO_BOLD, 26)
    label_colour = (70, 110, 160)
    x0 = 36 + rng.randrange(0, 14)
    gap = 66 + rng.randrange(0, 14)
    y = 34 + rng.randrange(0, 10)
    step = 48
    draw.text((x0, y), "姓 名", font=label_font, fill=label_colour)
    draw.text((x0 + gap, y - 2), person["name"], font=value_font, fill="black")
    y += step
    draw.text((x0, y), "性 别", font=label_font, fill=label_colour)
    draw.text((x0 + gap, y - 2), person["sex"], font=value_font, fill="black")
    draw.text((x0 + gap + 80, y), "民 族", font=label_font, fill=label_colour)
    draw.text((x0 + 2 * gap + 80, y - 2), person["ethnicity"], font=value_font, fill="black")
    y += step
    draw.text((x0, y), "出 生", font=label_font, fill=label_colour)
    x = x0 + gap
    for value, unit in ((person["birth_year"], "年"), (str(int(person["birth_month"])), "月"),
                        (str(int(person["birth_day"])), "日")):
        draw.text((x, y - 2), value, font=value_font, fill="black")
        x += int(draw.textlength(value, font=value_font)) + 8
        draw.text((x, y), unit, font=label_font, fill=label_colour)
        x += 34
    y += step
    draw.text((x0, y), "住 址", font=label_font, fill=label_colour)
    per_line = 11 + rng.randrange(0, 2)
    address = person["address"]
    for start in range(0, len(address), per_line):
        draw.text((x0 + gap, y - 2), address[start:start + per_line], font=value_font,
                  fill="black")
        y += 32
    draw.text((x0, 330), "公民身份号码", font=label_font, fill=label_colour)
    draw.text((x0 + 150, 326), person["id_number"], font=number_font, fill="black")
    # the photo: a grey silhouette where the holder's picture goes
    draw.rectangle((450, 60, 600, 250), fill=(214, 220, 228))
    draw.ellipse((485, 85, 565, 175), fill=(160, 168, 180))
    draw.ellipse((465, 170, 585, 280), fill=(160, 168, 180))
    draw.rectangle((450, 250, 600, 290), fill=(rng.randrange(236, 250), 242, 246))
    return card, person


def idcard_back(rng: random.Random) -> tuple[Image.Image, dict[str, str]]:
    width, height = 640, 404
    card = Image.new("RGB", (width, height), (244, 242, rng.randrange(230, 246)))
    draw = ImageDraw.Draw(card)
    draw.ellipse((40, 30, 130, 120), outline=(190, 60, 60), width=5)
    title = font(CJK_SERIF_BOLD, 34)
    draw.text((190, 40), "中华人民共和国", font=title, fill="black")
    draw.text((210, 110), "居 民 身 份 证", font=font(CJK_SERIF_BOLD, 40), fill="black")
    label_font = font(CJK_SANS, 19)
    value_font = font(CJK_SANS, 21)
    start = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(365 * 15))
    years = rng.choice((10, 20, None))
    end = "长期" if years is None else f"{start.year + years}.{start:%m.%d}"
    city = rng.choice(("样本市", "示例市", "测试县", "虚构市"))
    authority = city + rng.choice(("公安局", "公安局示例分局", "公安局测试分局"))
    x0 = 110 + rng.randrange(0, 20)
    gap = 100 + rng.randrange(0, 12)
    draw.text((x0, 270), "签发机关", font=label_font, fill=(70, 70, 70))
    draw.text((x0 + gap, 268), authority, font=value_font, fill="black")
    draw.text((x0, 320), "有效期限", font=label_font, fill=(70, 70, 70))
    draw.text((x0 + gap, 318), f"{start:%Y.%m.%d}-{end}", font=value_font, fill="black")
    period = f"{start:%Y%m%d}-" + ("长期" if years is None else end.replace(".", ""))
    return card, {"issuing_authority": authority, "valid_period": period}


def group(number: str, rng: random.Random) -> str:
    if len(number) == 15:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    if len(number) == 19 and rng.random() < 0.5:
        return f"{number[:6]} {number[6:]}"
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def bankcard(rng: random.Random, number: str) -> tuple[Image.Image, dict[str, str]]:
    width, height = 640, 404
    dark = rng.random() < 0.5
    top = (20, 50, 110) if dark else (225, 232, 240)
    card = Image.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(card)
    for y in range(height):  # a gentle gradient, as printed cards have
        shade = tuple(max(0, min(255, c + (y * 30) // height)) for c in top)
        draw.line((0, y, width, y), fill=shade)
    ink = (245, 245, 245) if dark else (25, 25, 35)
    bank = rng.choice(BANKS)
    card_type = rng.choice(("借记卡", "信用卡", ""))
    draw.text((36, 28), bank, font=font(CJK_SANS_BOLD, 30), fill=ink)
    if card_type:
        draw.text((470, 34), card_type, font=font(CJK_SANS, 24), fill=ink)
    draw.rounded_rectangle((48, 110, 128, 170), radius=8, fill=(200, 170, 90))  # the chip
    number_font = font(MONO_BOLD, 38 + rng.randrange(-3, 4))
    shown = group(number, rng)
    nx, ny = 40 + rng.randrange(0, 24), 200 + rng.randrange(0, 30)
    shadow = (0, 0, 0) if dark else (150, 150, 150)
    draw.text((nx + 2, ny + 2), shown, font=number_font, fill=shadow)  # embossed look
    draw.text((nx, ny), shown, font=number_font, fill=ink)
    valid = f"{rng.randrange(1, 13):02d}/{rng.randrange(27, 36)}"
    small = font(MONO_BOLD, 16)
    draw.text((250, 266 + rng.randrange(0, 8)), "VALID THRU", font=small, fill=ink)
    draw.text((360, 262 + rng.randrange(0, 8)), valid, font=font(MONO_BOLD, 24), fill=ink)
    holder = rng.choice(PINYIN)
    draw.text((44, 330), holder, font=font(MONO_BOLD, 26), fill=ink)
    draw.text((500, 340), "UnionPay", font=font(MONO_BOLD, 20), fill=ink)
    return card, {"number": number, "holder": holder, "valid_date": valid,
                  "bank_name": bank, "card_type": card_type}


def phone(rng: random.Random) -> str:
    return f"1380000{rng.randrange(0, 10000):04d}"


def bizcard(rng: random.Random) -> tuple[Image.Image, dict[str, Any]]:
    width, height = 640, 380
    card = Image.new("RGB", (width, height), (252, 251, rng.randrange(240, 252)))
    draw = ImageDraw.Draw(card)
    english = rng.random() < 0.5
    domain = rng.choice(DOMAINS)
    user = rng.choice(("sample", "test", "demo", "lisi", "wangwu"))
    truth: dict[str, Any] = {
        "company": rng.choice(COMPANIES),
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "title": rng.choice(TITLES),
        "department": rng.choice(DEPARTMENTS),
        "tel_cell": [phone(rng)],
        "tel": [f"010-{rng.randrange(10000000, 99999999)}"],
        "email": [f"{user}{rng.randrange(1, 99)}@{domain}"],
        "adr": rng.choice(CITIES) + rng.choice(STREETS) + f"{rng.randrange(1, 200)}号",
    }
    if rng.random() < 0.5:
        truth["fax"] = [f"010-{rng.randrange(10000000, 99999999)}"]
    if rng.random() < 0.5:
        truth["url"] = [f"www.{domain}"]
    labels = ({"tel_cell": "Mobile:", "tel": "Tel:", "fax": "Fax:", "email": "E-mail:",
               "adr": "Add:", "url": "Web:"} if english else
              {"tel_cell": "手机：", "tel": "电话：", "fax": "传真：", "email": "邮箱：",
               "adr": "地址：", "url": "网址："})
    mobile = truth["tel_cell"][0]
    shown = {item: truth[item][0] if isinstance(truth[item], list) else truth[item]
             for item in ("tel_cell", "tel", "fax", "email", "url", "adr") if item in truth}
    if rng.random() < 0.5:  # a mobile printed in groups; its value is the digits
        shown["tel_cell"] = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    company_font = font(CJK_SANS_BOLD, 24)
    body = font(CJK_SANS, 19)
    if rng.random() < 0.5:
        # layout A: company on top, name large, contacts in one column below
        draw.text((30, 24), truth["company"], font=company_font, fill=(30, 60, 120))
        draw.line((30, 64, width - 30, 64), fill=(30, 60, 120), width=2)
        name_x, name_y, x, y = 40 + rng.randrange(0, 30), 86, 40, 170 + rng.randrange(0, 10)
    else:
        # layout B: name top left, contacts in a right-hand column, company at the foot
        draw.text((30, height - 60), truth["company"], font=company_font, fill=(30, 60, 120))
        name_x, name_y, x, y = 30, 30, 300 + rng.randrange(0, 20), 40
        body = font(CJK_SANS, 17)
    draw.text((name_x, name_y), truth["name"], font=font(CJK_SANS_BOLD, 40), fill="black")
    if x < 200:
        side = name_x + 40 * len(truth["name"]) + 30
        draw.text((side, name_y + 4), truth["department"], font=font(CJK_SANS, 18),
                  fill=(80, 80, 80))
        draw.text((side, name_y + 28), truth["title"], font=font(CJK_SANS, 18),
                  fill=(80, 80, 80))
    else:
        draw.text((name_x, name_y + 60), truth["department"] + " " + truth["title"],
                  font=font(CJK_SANS, 18), fill=(80, 80, 80))
    for item, value in shown.items():
        if item == "adr" and x > 200 and len(value) > 14:
            continue  # no room for a long address in the narrow column
        draw.text((x, y), f"{labels[item]}{value}", font=body, fill=(40, 40, 40))
        y += 29 if x < 200 else 27
    if "adr" in shown and x > 200 and len(shown["adr"]) > 14:
        del truth["adr"]
    return card, truth


# -- the set -----------------------------------------------------------------------------
def render_set(out: Path, per_type: int, seed: int, strength: float = 1.0) -> dict[str, Any]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    truths: dict[str, Any] = {}
    cards = list(TEST_CARDS)
    rng.shuffle(cards)
    makers = {
        "idcard.front": lambda: idcard_front(rng),
        "idcard.back": lambda: idcard_back(rng),
        "bankcard": lambda: bankcard(rng, cards[len(truths) % len(cards)]),
        "bizcard": lambda: bizcard(rng),
    }
    for document_type, make in makers.items():
        for index in range(per_type):
            card, fields = make()
            how = distortion(rng, index, strength)
            image = spoil(card, how, rng)
            name = f"{document_type.replace('.', '-')}-{index:02d}.png"
            image.save(out / name, optimize=True, bits=4)
            truths[name] = {"document_type": document_type, "fields": fields,
                            "distortion": how.to_dict()}
    (out / "truths.json").write_text(json.dumps(truths, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    return truths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"directory (default {OUT})")
    parser.add_argument("--per-type", type=int, default=4, help="images per document type")
    parser.add_argument("--seed", type=int, default=11, help="random seed (same seed, same set)")
    parser.add_argument("--strength", type=float, default=1.0,
                        help="scale rotation and noise (2 = up to 9 degrees, sigma 24)")
    args = parser.parse_args()
    truths = render_set(args.out, args.per_type, args.seed, args.strength)
    size = sum((args.out / name).stat().st_size for name in truths)
    print(f"wrote {len(truths)} images ({size // 1024} KiB) and truths.json to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
