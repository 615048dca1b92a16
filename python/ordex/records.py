"""The typed results: a Document and its records, built from the library's
JSON (schema ordex-3, schema/ordex.schema.json).

Dates are datetime.date and times datetime.time; every record found in the
text carries its place: page (1-based, 0 when unknown, as for text input),
start and end (code-point offsets into the clean text, the text that
dump(stage="text") prints) and bbox (x0, y0, x1, y1 in PDF points from the
page's top-left corner, None when unknown).  Document.json keeps the JSON
as parsed, for anything this model does not name.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

Box = Tuple[float, float, float, float]
JSON = Dict[str, Any]

__all__ = ["Box", "Case", "Change", "Dataset", "Deadline", "Directive", "Document",
           "Ecf", "Grammar", "Mention", "PageSource", "Person", "Source",
           "Warning", "document_from_json"]


def _date(s: Optional[str]) -> Optional[datetime.date]:
    return datetime.date.fromisoformat(s) if s else None


def _time(s: Optional[str]) -> Optional[datetime.time]:
    return datetime.time.fromisoformat(s) if s else None


def _box(b: Optional[List[float]]) -> Optional[Box]:
    if not b:
        return None
    return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))


@dataclass(frozen=True)
class Mention:
    """One place a dataset or an attorney is named (rule: the rule that
    found a dataset mention; None for an attorney's)."""
    text: str
    rule: Optional[str]
    page: int
    start: int
    end: int
    bbox: Optional[Box]


@dataclass(frozen=True)
class Directive:
    """An order to a party ("OpenAI shall produce ...")."""
    id: str
    actor: Optional[str]
    action: Optional[str]
    modality: str  # "must", "must_not" or "may"
    text: str
    deadline: Optional[str]  # id of its Deadline
    rule: str
    page: int
    start: int
    end: int
    bbox: Optional[Box]
    binding: bool = True  # False: the document only proposes or recites it


@dataclass(frozen=True)
class Deadline:
    """A date by which something is due, with how it was computed."""
    id: str
    date: Optional[datetime.date]
    time: Optional[datetime.time]
    kind: str  # "absolute", "relative" or "immediate"
    text: str
    anchor: Optional[str]
    computation: Optional[str]
    directive: Optional[str]  # id of its Directive
    party: Optional[str]
    action: Optional[str]
    event: Optional[str]
    ambiguous: bool
    rule: str
    page: int
    start: int
    end: int
    bbox: Optional[Box]
    binding: bool = True  # False: the document only proposes or recites it


@dataclass(frozen=True)
class Person:
    """A judge (kind "judge": title and role) or an attorney (kind
    "attorney": firm, party, email, bar number, every mention)."""
    kind: str
    name: str
    role: Optional[str]
    title: Optional[str]
    name_normalized: Optional[str]
    firm: Optional[str]
    party: Optional[str]
    email: Optional[str]
    bar_number: Optional[str]
    page: int
    start: int
    end: int
    bbox: Optional[Box]
    mentions: Tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Dataset:
    """A data set the order names; its place is that of its first mention."""
    name: str
    source: str  # "lexicon" or "pattern"
    aliases: Tuple[str, ...]
    mentions: Tuple[Mention, ...]
    page: int
    start: int
    end: int
    bbox: Optional[Box]


@dataclass(frozen=True)
class Case:
    """The case the order belongs to (from the caption, signature, stamp)."""
    court: Optional[str]
    court_id: Optional[str]
    case_number: Optional[str]
    case_number_normalized: Optional[str]
    judge_initials: Tuple[str, ...]
    caption: Optional[str]
    title: Optional[str]
    judge: Optional[str]
    judge_title: Optional[str]
    date: Optional[datetime.date]
    date_source: Optional[str]
    docket_entry: Optional[str]
    filed: Optional[datetime.date]
    time_zone: Optional[str] = None  # the court's IANA zone
    document_kind: Optional[str] = None  # "order", "motion or brief", ...


@dataclass(frozen=True)
class Ecf:
    """The CM/ECF stamp of the first stamped page."""
    case_number: str
    document: Optional[str]
    filed: Optional[datetime.date]
    page_count: Optional[int]
    pages_stamped: int


@dataclass(frozen=True)
class PageSource:
    """Where one PDF page's text came from (the text layer or OCR)."""
    page: int
    source: str
    reason: Optional[str]
    confidence: Optional[int]
    ocr_skipped: Optional[str] = None  # why OCR did not read a distrusted page


@dataclass(frozen=True)
class Source:
    file: Optional[str]
    input: str  # "pdf" or "text"
    sha256: Optional[str]
    pages: int
    ecf: Optional[Ecf]
    text_source: Optional[Tuple[PageSource, ...]]


@dataclass(frozen=True)
class Grammar:
    name: str
    version: str


@dataclass(frozen=True)
class Warning:
    code: str
    page: Optional[int]
    message: str


@dataclass(frozen=True)
class Change:
    """What this order does to a date of an earlier order (extended,
    continued, reset, vacated, stayed)."""
    id: str
    action: str
    scope: str  # "one" or "all"
    what: Optional[str]
    from_date: Optional[datetime.date]
    from_time: Optional[datetime.time]
    date: Optional[datetime.date]
    time: Optional[datetime.time]
    until: Optional[str]
    deadline: Optional[str]  # id of this document's Deadline with the new date
    text: str
    rule: str
    page: int
    start: int
    end: int
    bbox: Optional[Box]


@dataclass(frozen=True)
class Document:
    """One court order's records."""
    schema: str
    ordex: str
    grammars: Tuple[Grammar, ...]
    source: Source
    case: Case
    directives: Tuple[Directive, ...]
    deadlines: Tuple[Deadline, ...]
    attorneys: Tuple[Person, ...]
    judges: Tuple[Person, ...]
    datasets: Tuple[Dataset, ...]
    warnings: Tuple[Warning, ...]
    changes: Tuple[Change, ...] = ()
    incomplete: bool = False  # some page had no readable text (warnings)
    json: JSON = field(repr=False, compare=False, hash=False,
                       default_factory=dict)

    def directive(self, id: str) -> Directive:
        """The directive of that id (KeyError when none)."""
        for d in self.directives:
            if d.id == id:
                return d
        raise KeyError(id)

    def deadline(self, id: str) -> Deadline:
        """The deadline of that id (KeyError when none)."""
        for t in self.deadlines:
            if t.id == id:
                return t
        raise KeyError(id)


def _mention(m: JSON) -> Mention:
    return Mention(m["text"], m.get("rule"), m["page"], m["start"], m["end"],
                   _box(m["bbox"]))


def _judge(j: JSON) -> Person:
    return Person("judge", j["name"], j["role"], j["title"], None, None, None,
                  None, None, j["page"], j["start"], j["end"], _box(j["bbox"]))


def _attorney(a: JSON) -> Person:
    return Person("attorney", a["name"], a["role"], None, a["name_normalized"],
                  a["firm"], a["party"], a["email"], a["bar_number"],
                  a["page"], a["start"], a["end"], _box(a["bbox"]),
                  tuple(_mention(m) for m in a["mentions"]))


def _dataset(d: JSON) -> Dataset:
    mentions = tuple(_mention(m) for m in d["mentions"])
    first = mentions[0] if mentions else None
    return Dataset(d["name"], d["source"], tuple(d["aliases"]), mentions,
                   first.page if first else 0, first.start if first else 0,
                   first.end if first else 0, first.bbox if first else None)


def document_from_json(j: JSON, incomplete: bool = False) -> Document:
    """The Document of one parsed ordex JSON document."""
    src = j["source"]
    ecf = src["ecf"]
    ts = src["text_source"]
    c = j["case"]
    return Document(
        schema=j["schema"],
        ordex=j["ordex"],
        grammars=tuple(Grammar(g["name"], g["version"]) for g in j["grammars"]),
        source=Source(
            src["file"], src["input"], src["sha256"], src["pages"],
            Ecf(ecf["case_number"], ecf["document"], _date(ecf["filed"]),
                ecf["page_count"], ecf["pages_stamped"]) if ecf else None,
            tuple(PageSource(p["page"], p["source"], p["reason"],
                             p["confidence"], p.get("ocr_skipped"))
                  for p in ts)
            if ts is not None else None),
        case=Case(c["court"], c["court_id"], c["case_number"],
                  c["case_number_normalized"], tuple(c["judge_initials"]),
                  c["caption"], c["title"], c["judge"], c["judge_title"],
                  _date(c["date"]), c["date_source"], c["docket_entry"],
                  _date(c["filed"]), c.get("time_zone"),
                  c.get("document_kind")),
        directives=tuple(
            Directive(d["id"], d["actor"], d["action"], d["modality"],
                      d["text"], d["deadline"], d["rule"], d["page"],
                      d["start"], d["end"], _box(d["bbox"]),
                      d.get("binding", True))
            for d in j["directives"]),
        deadlines=tuple(
            Deadline(t["id"], _date(t["date"]), _time(t["time"]), t["kind"],
                     t["text"], t["anchor"], t["computation"], t["directive"],
                     t["party"], t["action"], t["event"], t["ambiguous"],
                     t["rule"], t["page"], t["start"], t["end"],
                     _box(t["bbox"]), t.get("binding", True))
            for t in j["deadlines"]),
        attorneys=tuple(_attorney(a) for a in j["attorneys"]),
        judges=tuple(_judge(x) for x in j["judges"]),
        datasets=tuple(_dataset(d) for d in j["datasets"]),
        warnings=tuple(Warning(w["code"], w["page"], w["message"])
                       for w in j["warnings"]),
        changes=tuple(
            Change(x["id"], x["action"], x["scope"], x["what"],
                   _date(x["from"]), _time(x["from_time"]), _date(x["date"]),
                   _time(x["time"]), x["until"], x["deadline"], x["text"],
                   x["rule"], x["page"], x["start"], x["end"], _box(x["bbox"]))
            for x in j.get("changes", [])),
        incomplete=incomplete,
        json=j,
    )
