"""Document metadata: the 政府信息公开 header fields, the notice and the closing clause.

Every field is optional; each is read by label (索引号：…) where the page states it and
otherwise from the document's own lines (title line, 主送 line, signature and date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from loaders.structure import Line
from loaders.text_utils import DATE_PATTERN, cn_number, parse_date, split_top

_DOC_NUMBER = r"[\u4e00-\u9fff]{1,12}[〔\[(【（［﹝]\d{4}[〕\])】）］﹞]\s*\d{1,6}\s*号"
_NOT_A_VALUE = re.compile(r"^[\u4e00-\u9fff]{2,6}\s*:")
_DOC_TYPES = (
    r"(?:通知|意见|决定|办法|方案|措施|规定|细则|批复|公告|通告|函|报告|规划|纲要|计划|政策|条例)"
)
_ORGAN = re.compile(r"(人民政府|办公厅|办公室|委员会|局|厅|委|部|政府|党委|联合会|总工会)$")
_ISSUER_PREFIX = re.compile(r"^(.+?)关于")
_JURISDICTION = re.compile(
    r"^((?:[\u4e00-\u9fff]{2,6}?(?:省|自治区))?(?:[\u4e00-\u9fff]{1,6}?(?:市|自治州|州|盟))?"
    r"(?:[\u4e00-\u9fff]{1,6}?(?:区|县|旗))?)"
)
_MEASURES_TITLE = re.compile(r"《([^《》\n]{2,80}?)》")


@dataclass(frozen=True)
class Meta:
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    publisher: str | None = None
    index_number: str | None = None
    written_date: date | None = None
    published_date: date | None = None
    effective_date: date | None = None
    addressees: tuple[str, ...] = ()
    contact_unit: str | None = None
    contact_phone: str | None = None
    measures_title: str | None = None
    jurisdiction: str | None = None


@lru_cache(maxsize=64)
def _spaced(labels: str) -> str:
    """索引号|标题 → a pattern that also reads 索 引 号 and 标　　题 (gov.cn tables)."""
    return "|".join(r"\s*".join(map(re.escape, label)) for label in labels.split("|"))


def _field(text: str, labels: str, value: str) -> str | None:
    """The value after ``label:`` (on the same line or, as in gov.cn tables, the next)."""
    pattern = rf"(?:^|[\s•·|])(?:{_spaced(labels)})\s*:\s*({value})"
    for match in re.finditer(pattern, text, re.MULTILINE):
        found = match.group(1).strip()
        if found and not _NOT_A_VALUE.match(found):
            return found
    return None


def _title(text: str, lines: list[Line]) -> str | None:
    labelled = _field(text, "标题|文件名称|名称", r"[^\n]+")
    if labelled:
        return labelled
    for pattern in (rf"关于.+{_DOC_TYPES}$", rf"{_DOC_TYPES}$"):
        for line in lines[:80]:
            text = line.text
            if (
                len(text) <= 80
                and "。" not in text
                and re.search(pattern, text)
                and not re.match(r"^[\u4e00-\u9fff]{2,6}:", text)
            ):
                return text.lstrip("•· ")
    return None


def _signature(lines: list[Line], after: int) -> tuple[str | None, date | None]:
    """The organ line directly above a date line (the signature block), if any."""
    for k in range(after, len(lines) - 1):
        organ, when = lines[k].text, lines[k + 1].text
        if (
            len(organ) <= 40
            and _ORGAN.search(organ)
            and re.fullmatch(DATE_PATTERN, when.replace(" ", ""))
        ):
            return organ, parse_date(when)
    return None, None


def jurisdiction_of(organ: str | None) -> str | None:
    """济南市人民政府 → 济南市; 济南市历下区人民政府 → 济南市历下区."""
    if not organ:
        return None
    match = _JURISDICTION.match(organ.removeprefix("中共"))
    value = match.group(1) if match else ""
    return value or None


def _addressees(lines: list[Line]) -> tuple[str, ...]:
    for line in lines[:80]:
        text = line.text
        if text.endswith(":") and len(text) <= 120 and "。" not in text:
            body = text[:-1]
            if ":" in body or not re.match(r"^[\u4e00-\u9fff]", body):
                continue
            if body.startswith("各") or re.search(r"(政府|部门|单位|委员会)", body):
                return tuple(p for p, _, _ in split_top(body, ",;"))
    return ()


def _contact(text: str) -> tuple[str | None, str | None]:
    match = re.search(
        r"联系(?:单位|电话|人|方式)\s*:\s*([^\n]+?)\s*[,;]\s*"
        r"(?:联系电话\s*:\s*)?([0-9][0-9\- ]{5,})",
        text,
    )
    if match:
        return match.group(1).strip(), re.sub(r"\s", "", match.group(2))
    unit = _field(text, "联系单位", r"[^\s,;)]+")
    phone = _field(text, "联系电话", r"[0-9][0-9\-]{5,}")
    return unit, phone


def _effective(text: str, written: date | None, published: date | None) -> date | None:
    found: date | None = None
    pattern = re.compile(
        rf"自({DATE_PATTERN}|印发之日|发布之日|公布之日|印发|发布)起(?:(\S{{1,4}})日后)?"
        r"(?:施行|实施|执行|生效)"
    )
    for match in pattern.finditer(text):
        anchor = match.group(1)
        if anchor.startswith("印发"):
            base = written
        elif anchor.startswith(("发布", "公布")):
            base = published or written
        else:
            base = parse_date(anchor)
        if base is not None and match.group(2):
            days = cn_number(match.group(2))
            base = base + timedelta(days=days) if days else base
        found = base
    return found


def _measures_title(text: str, title: str | None) -> str | None:
    for line in text.split("\n"):
        if "印发" in line or "现将" in line:
            match = _MEASURES_TITLE.search(line)
            if match:
                return match.group(1).strip()
    if title:
        match = re.search(r"关于印发(.+?)的通知", title)
        if match:
            return match.group(1).strip("《》")
    return None


def read_meta(text: str, lines: list[Line]) -> Meta:
    """Metadata from the normalised text and its lines."""
    title = _title(text, lines)
    doc_number = _field(text, "发文字号|文号", _DOC_NUMBER)
    if doc_number is None:
        for line in lines[:80]:
            if re.fullmatch(_DOC_NUMBER, line.text):
                doc_number = line.text
                break
    if doc_number:
        doc_number = doc_number.replace(" ", "")
    signer, signed = _signature(lines, 0)
    prefix = _ISSUER_PREFIX.match(title) if title else None
    issuer = _field(text, "发文机关", r"[^\s:]+") or signer or (prefix.group(1) if prefix else None)
    publisher = _field(text, "发布机构", r"\S+")
    written = parse_date(_field(text, "成文日期", DATE_PATTERN) or "") or signed
    published = parse_date(_field(text, "发布日期|发布时间", DATE_PATTERN) or "")
    unit, phone = _contact(text)
    jurisdiction = jurisdiction_of(issuer) or jurisdiction_of(publisher)
    if jurisdiction is None and title:
        jurisdiction = jurisdiction_of(title)
    return Meta(
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        publisher=publisher,
        index_number=_field(text, "索引号", r"[0-9A-Za-z][0-9A-Za-z/\-_.]*"),
        written_date=written,
        published_date=published,
        effective_date=_effective(text, written, published),
        addressees=_addressees(lines),
        contact_unit=unit,
        contact_phone=phone,
        measures_title=_measures_title(text, title),
        jurisdiction=jurisdiction,
    )
