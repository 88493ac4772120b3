"""Business card (名片): items by machine key, optionally the cut-out card image."""

from functools import partial

from ..doctypes import DocumentType, Option, registering
from ..recognisers.bizcard import read_bizcard
from ..results import parse_bizcard

YES_NO = ("yes", "no")

BIZCARD = DocumentType(
    name="bizcard",
    title="Business card",
    title_zh="名片",
    task_config={"capkey": "ocr.cloud.bizcard"},
    parse=partial(parse_bizcard, document_type="bizcard"),
    options=(
        Option("exportImage", bool, default=False, true_false=YES_NO,
               help="return the card image (result.image)"),
        Option("cutedge", bool, default=True, true_false=YES_NO,
               help="cut the card out of the background"),
        Option("outimagetype", str, default="bmp", choices=("bmp", "png", "jpg"),
               help="format of the exported image"),
        Option("need_score", bool, default=False, true_false=YES_NO,
               help="return confidences"),
    ),
    local_recogniser=read_bizcard,
)


lingyun_register_document_types = registering(BIZCARD)
