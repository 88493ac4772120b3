"""Text recognition, Chinese and English (文本识别), optionally with character positions."""

from functools import partial

from ..doctypes import DocumentType, Option, registering
from ..results import parse_text

WITH_POSITION = Option(
    "withPosition",
    bool,
    default=False,
    help="also return the IREAD_NODE position stream (result.layout)",
)


def _text_document(name: str, capkey: str, lang: str, title: str, title_zh: str) -> DocumentType:
    return DocumentType(
        name=name,
        title=title,
        title_zh=title_zh,
        task_config={"capkey": capkey, "lang": lang},
        parse=partial(parse_text, document_type=name),
        options=(WITH_POSITION,),
    )


TEXT_CHINESE = _text_document(
    "text.chinese", "ocr.cloud", "chinese_cn", "Text, Chinese", "中文文本识别"
)
TEXT_ENGLISH = _text_document(
    "text.english", "ocr.cloud.english", "english", "Text, English", "英文文本识别"
)


lingyun_register_document_types = registering(TEXT_CHINESE, TEXT_ENGLISH)
