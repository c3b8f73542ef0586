"""Generate a synthetic corpus of municipal policy documents in the real text format.

The documents imitate data/jinan-2025-5.txt: the portal's metadata header, the notice,
``一、`` chapters, ``(一)`` measures and a trailing responsibility clause written in one of
the phrasings real documents use. Many cities, each with its own agencies. Deterministic:
document ``i`` of seed ``S`` is the same whatever ``--docs`` is.

    python bench/generate.py --docs 1000 --seed 7 --out bench/out/corpus-1000

Writes one ``.txt`` per document and ``manifest.json`` with what each one states
(chapters, measures, the agencies of each measure in order) for tests to compare.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

#: (city, pinyin, 发文字号 prefix char(s), districts) — prefixes are the real ones.
CITIES: tuple[tuple[str, str, str], ...] = (
    ("济南", "jinan", "济"),
    ("青岛", "qingdao", "青"),
    ("淄博", "zibo", "淄"),
    ("枣庄", "zaozhuang", "枣"),
    ("东营", "dongying", "东"),
    ("烟台", "yantai", "烟"),
    ("潍坊", "weifang", "潍"),
    ("泰安", "taian", "泰"),
    ("威海", "weihai", "威"),
    ("日照", "rizhao", "日"),
    ("临沂", "linyi", "临"),
    ("德州", "dezhou", "德"),
    ("聊城", "liaocheng", "聊"),
    ("滨州", "binzhou", "滨"),
    ("菏泽", "heze", "菏"),
    ("郑州", "zhengzhou", "郑"),
    ("合肥", "hefei", "合"),
    ("石家庄", "shijiazhuang", "石"),
    ("沈阳", "shenyang", "沈"),
    ("兰州", "lanzhou", "兰"),
)

#: Agency names as a city's documents write them (市X局 of that city).
AGENCIES: tuple[str, ...] = (
    "市发展改革委",
    "市教育局",
    "市科技局",
    "市工业和信息化局",
    "市民政局",
    "市财政局",
    "市人力资源社会保障局",
    "市自然资源和规划局",
    "市住房城乡建设局",
    "市农业农村局",
    "市商务局",
    "市文化和旅游局",
    "市卫生健康委",
    "市退役军人局",
    "市国资委",
    "市市场监管局",
    "市医保局",
    "市税务局",
    "市民营经济局",
    "市委社会工作部",
    "市总工会",
    "团市委",
    "市妇联",
    "市残联",
    "市工商联",
    "各区县人民政府",
)

GROUPS: tuple[str, ...] = (
    "高校毕业生",
    "农民工",
    "退役军人",
    "残疾人",
    "妇女",
    "青年",
    "农村劳动力",
    "灵活就业人员",
    "小微企业",
    "个体工商户",
    "困难人员",
    "脱贫劳动力",
    "老年人",
    "新就业形态人员",
)

PROGRAM_STEMS: tuple[str, ...] = (
    "春风行动",
    "三支一扶”计划",
    "就业服务品牌",
    "技能提升行动",
    "创业孵化平台",
    "社区微业",
    "百企千岗”招聘活动",
    "乡村振兴示范工程",
)

TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "促进高质量充分就业",
        ("坚持就业优先战略", "促进重点群体就业", "提升技术技能水平", "优化公共就业服务"),
    ),
    (
        "支持民营经济发展壮大",
        ("优化民营经济发展环境", "加大政策支持力度", "强化要素保障", "营造良好社会氛围"),
    ),
    (
        "推动制造业高质量发展",
        ("壮大主导产业集群", "推进数字化转型", "强化企业梯度培育", "加强人才支撑"),
    ),
    (
        "提振消费扩大内需",
        ("培育消费新场景", "提升传统消费", "完善消费基础设施", "优化消费环境"),
    ),
    (
        "加快建设创新型城市",
        ("强化科技创新策源", "培育创新主体", "集聚创新人才", "完善创新生态"),
    ),
)

VERBS = ("实施", "推进", "健全", "完善", "加强", "优化", "支持", "深化", "拓展", "落实")
OBJECTS = (
    "服务体系",
    "帮扶机制",
    "补贴政策",
    "培训计划",
    "统计监测",
    "协作机制",
    "保障制度",
    "信息平台",
    "激励措施",
    "评价体系",
)
DIGITS = "零一二三四五六七八九"
PHRASINGS = ("duty", "lead_support", "lead_inline", "lead_paren", "single", "none")


def chinese_numeral(n: int) -> str:
    """1..99 as written in chapter and measure numbers (十, 十一, 二十, 二十一 …)."""
    if not 1 <= n <= 99:
        raise ValueError(f"numeral out of range: {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


@dataclass
class MeasureSpec:
    title: str
    agencies: list[str]
    phrasing: str


@dataclass
class DocSpec:
    city: str
    pinyin: str
    doc_number: str
    year: int
    number: int
    title: str
    chapters: list[str]
    measures_by_chapter: list[list[MeasureSpec]] = field(default_factory=list)


def responsibility_clause(agencies: list[str], phrasing: str) -> str:
    """The trailing clause in one of the phrasings real documents use."""
    if not agencies or phrasing == "none":
        return ""
    if phrasing == "single" or len(agencies) == 1:
        return f"(责任单位:{agencies[0]})"
    lead, rest = agencies[0], agencies[1:]
    if phrasing == "duty":
        return f"(责任单位:{'、'.join(agencies)}按职责分工负责)"
    if phrasing == "lead_support":
        return f"（牵头单位：{lead}；配合单位：{'、'.join(rest)}）"
    if phrasing == "lead_inline":
        return f"（{lead}牵头，{'、'.join(rest)}配合）"
    return f"（{lead}（牵头）、{'、'.join(rest)}）"


def _measure_text(rng: random.Random, city: str, spec: MeasureSpec) -> str:
    sentences = [spec.title]
    for _ in range(rng.randint(1, 3)):
        groups = "、".join(rng.sample(GROUPS, rng.randint(0, 2)))
        subject = f"面向{groups}等群体，" if groups else ""
        sentences.append(f"{subject}{rng.choice(VERBS)}{rng.choice(OBJECTS)}")
    if rng.random() < 0.5:
        stem = rng.choice(PROGRAM_STEMS)
        name = f"“{city}{stem}" if "”" in stem else f"“{city}{stem}”"
        sentences.append(f"深入开展{name}，扩大覆盖范围")
    body = "。".join(sentences) + "。"
    return body + responsibility_clause(spec.agencies, spec.phrasing)


def doc_spec(seed: int, index: int) -> DocSpec:
    """The plan of document ``index``; independent of how many documents are generated."""
    rng = random.Random(f"policykg-bench-{seed}-{index}")
    city, pinyin, prefix = CITIES[index % len(CITIES)]
    year = 2016 + (index // len(CITIES)) % 10
    number = index // (len(CITIES) * 10) + 1
    topic, chapter_titles = rng.choice(TOPICS)
    n_measures = rng.randint(10, 40)
    n_chapters = rng.randint(2, min(8, n_measures // 3))
    titles = [
        chapter_titles[i % len(chapter_titles)] + ("" if i < len(chapter_titles) else "再提升")
        for i in range(n_chapters)
    ]
    cuts = sorted(rng.sample(range(1, n_measures), n_chapters - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, n_measures], strict=True)]
    spec = DocSpec(
        city=city,
        pinyin=pinyin,
        doc_number=f"{prefix}政发〔{year}〕{number}号",
        year=year,
        number=number,
        title=f"{city}市{topic}的若干措施",
        chapters=titles,
    )
    for size in sizes:
        measures = []
        for _ in range(size):
            phrasing = rng.choice(PHRASINGS)
            count = 0 if phrasing == "none" else 1 if phrasing == "single" else rng.randint(2, 10)
            suffix = rng.choice(("建设", "改革", "工作"))
            title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}{suffix}"
            measures.append(MeasureSpec(title, rng.sample(AGENCIES, count), phrasing))
        spec.measures_by_chapter.append(measures)
    return spec


def render(spec: DocSpec, seed: int, index: int) -> str:
    """The document text, laid out like the city portal's page of data/jinan-2025-5.txt."""
    rng = random.Random(f"policykg-bench-text-{seed}-{index}")
    written = date(spec.year, 1, 1) + timedelta(days=rng.randint(0, 330))
    published = written + timedelta(days=rng.randint(3, 25))
    gov = f"{spec.city}市人民政府"
    notice = f"{gov}关于印发{spec.title}的通知"
    lines = [
        f"• 索引号: 11370100004188{index:04d}XL/{spec.year}-{rng.randint(1, 99999):05d} "
        f"组配分类: {spec.doc_number[:3]}",
        f"  • 成文日期: {written.isoformat()} 发布日期: {published.isoformat()}",
        f"  • 发布机构: {gov}办公厅 统一编号:",
        f"  • 标题: {notice}",
        f"  • 发文字号: {spec.doc_number} 有效性: 0",
        notice,
        "信息来源: 浏览次数: 字体:【 分享:",
        "",
        "各区县人民政府,市政府各部门(单位):",
        "",
        f"现将《{spec.title}》印发给你们,请认真抓好贯彻落实。",
        "",
        "",
        gov,
        "",
        f"{written.year}年{written.month}月{written.day}日",
        "",
        f"(联系单位:市人力资源社会保障局办公室,{rng.randint(51000000, 59999999)})",
        "",
        "(此件公开发布)",
        "",
        "",
        spec.title,
        "",
        "",
        "为深入贯彻落实党中央、国务院决策部署,结合我市实际,现制定如下措施。",
        "",
    ]
    ordinal = 0
    for c, (chapter, measures) in enumerate(
        zip(spec.chapters, spec.measures_by_chapter, strict=True), start=1
    ):
        lines += [f"{chinese_numeral(c)}、{chapter}", ""]
        for measure in measures:
            ordinal += 1
            text = _measure_text(rng, spec.city, measure)
            lines += [f"({chinese_numeral(ordinal)}){text}", ""]
    lines += ["本措施自印发之日起施行。", "", "  • 上一篇:", "  • 下一篇:"]
    return "\n".join(lines) + "\n"


def file_name(spec: DocSpec) -> str:
    return f"{spec.pinyin}-{spec.year}-{spec.number}.txt"


def manifest_entry(spec: DocSpec) -> dict[str, object]:
    measures = [m for chapter in spec.measures_by_chapter for m in chapter]
    return {
        "file": file_name(spec),
        "doc_id": f"{spec.pinyin}-{spec.year}-{spec.number}",
        "jurisdiction": f"{spec.city}市",
        "chapters": len(spec.chapters),
        "measures": len(measures),
        "agencies": [m.agencies for m in measures],
    }


def generate(docs: int, seed: int, out: Path) -> list[dict[str, object]]:
    """Write ``docs`` documents and manifest.json into ``out``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for index in range(docs):
        spec = doc_spec(seed, index)
        (out / file_name(spec)).write_text(render(spec, seed, index), encoding="utf-8")
        manifest.append(manifest_entry(spec))
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    manifest = generate(args.docs, args.seed, args.out)
    measures = sum(int(str(entry["measures"])) for entry in manifest)
    print(f"wrote {len(manifest)} documents ({measures} measures) to {args.out}")


if __name__ == "__main__":
    main()
