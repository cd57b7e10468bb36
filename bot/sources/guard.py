"""Feed bytes -> safe UTF-8 XML bytes (pure): charset detection and the hostile-XML pre-check.

``decode_document(data, headers)`` picks the document's real encoding and returns UTF-8 bytes.
feedparser alone (without chardet) reads an undeclared GB2312/Big5 feed as windows-1252 and
trusts a wrong HTTP charset; here the order is: BOM; a declared encoding (HTTP charset, then the
XML declaration) that decodes the bytes strictly, multi-byte encodings first (a single-byte one
such as ISO-8859-1 "decodes" anything); strict UTF-8; then a guess between GB18030, Big5 and
windows-1252 scored by how many of the decoded characters are common Chinese characters.

``check_xml(data)`` is the cheap pre-check that keeps time and memory bounded before any XML
parser runs:

* entity expansion ("billion laughs", quadratic blow-up): the prolog is tokenised (comments, PIs,
  quoted literals, parameter-entity references, the internal subset's declarations) and the
  DOCTYPE's internal subset never reaches a parser. Harmless internal entities (no nesting, no
  parameter or external entities, at most ``MAX_ENTITIES``, expanding to at most
  ``MAX_EXPANSION`` bytes in all) are expanded here; otherwise references to them become literal
  text, with a warning. Entity or DOCTYPE declarations after the prolog are removed;
* deep nesting: elements nested deeper than ``MAX_DEPTH`` (outside CDATA and comments) lose
  their tags, keeping their text, with a warning: the feed's entries all stay. The scan is one
  regular-expression pass over the bytes.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import charset_normalizer

MAX_DEPTH = 256
MAX_ENTITIES = 64
MAX_EXPANSION = 1 << 18

# ~450 of the most frequent Chinese characters, simplified and traditional, plus CJK punctuation.
# A correct decode of Chinese text hits this set for roughly half of its non-ASCII characters; a
# GB18030<->Big5 mix-up produces near-random characters that rarely do.
_COMMON_ZH = frozenset(
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学"
    "对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面"
    "公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部"
    "正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关"
    "并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安"
    "表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共"
    "风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管"
    "夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品"
    "士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研"
    "像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济"
    "喜离虽坏兴切府亿股票涨跌增润营投融债银率季同环净额费"
    "這來國個說們為時會過學對後還發當無開見經頭從動兩長樣現將與進實種聲話兒問機給幾業間電門東"
    "聽氣關內軍產萬別處總場師書員華報馬張難數車應記邊風戰許覺統請愛讓認論義術結領傳紅決達辦運"
    "區轉眾輕語滿寫識極黃臉錢黨設雙歷廣議際單據導網專誰讀飛觀爭組視濟離雖壞興億漲潤營銀環淨額費"
    "，。、“”：；！？（）《》【】「」"
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_SINGLE_BYTE = ("latin", "iso8859", "cp12", "cp437", "cp85", "koi8", "mac", "ascii", "tis")
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "cp950",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


@dataclass(frozen=True)
class Decoded:
    data: bytes  # UTF-8, without BOM
    encoding: str  # the codec the bytes were read with
    warnings: tuple[str, ...] = ()


def _codec(name: str | None) -> str | None:
    """Python's codec for a declared name (with the usual supersets), or None if unknown."""
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    n = _ALIASES.get(n, n)
    try:
        c = codecs.lookup(n).name
    except LookupError:
        return None
    return _ALIASES.get(c, c)


@functools.lru_cache(maxsize=64)
def _single_byte(codec: str) -> bool:
    """Every byte is one character in this codec (so it "decodes" anything)."""
    if codec.replace("_", "").startswith(_SINGLE_BYTE):
        return True
    try:
        text = bytes(range(256)).decode(codec, "replace")
    except (LookupError, ValueError):
        return False
    return len(text) == 256 and text.count("\ufffd") < 64  # UTF-8 would have 128


def _charset_param(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            return v.strip().strip("\"'")
    return None


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in (
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
    ):
        if data.startswith(bom):
            return name, len(bom)
    # "<?" without a BOM in a 16/32-bit encoding (XML 1.0 appendix F)
    for marker, name in (
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00<\x00?", "utf-16-be"),
        (b"<\x00?\x00", "utf-16-le"),
    ):
        if data.startswith(marker):
            return name, 0
    return None


def zh_score(text: str) -> float:
    """Share of non-ASCII characters that are common Chinese characters or CJK punctuation."""
    sample = [ch for ch in text[:20000] if ord(ch) > 127]
    if not sample:
        return 0.0
    return sum(ch in _COMMON_ZH for ch in sample) / len(sample)


def _mostly(data: bytes, codec: str) -> str | None:
    """``data`` decoded with replacement characters when the characters that decoded well
    outnumber the bad byte sequences 20 to 1 among the non-ASCII ones, else None."""
    try:
        text = data.decode(codec, "replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return text if bad and good >= 20 * bad else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


# Single-byte guesses trusted for scripts windows-1252 cannot show (Thai, Cyrillic, Greek, Hebrew,
# Arabic); between the Latin ones a short text says too little, and windows-1252 is the web's.
_NON_LATIN_SINGLE_BYTE = frozenset(
    [
        "cp874",
        "tis_620",
        "iso8859_11",
        "cp1251",
        "koi8_r",
        "koi8_u",
        "iso8859_5",
        "cp866",
        "mac_cyrillic",
        "cp1253",
        "iso8859_7",
        "cp1255",
        "iso8859_8",
        "cp1256",
        "iso8859_6",
    ]
)


def _guess(data: bytes) -> tuple[str, str]:
    """(codec, text) for bytes that are not UTF-8 and declare nothing usable: a multi-byte
    encoding when charset-normalizer finds one (GB18030, Big5, EUC-JP, Shift_JIS, EUC-KR ...),
    else windows-1252 (its single-byte guesses on short text are no better than that)."""
    best = charset_normalizer.from_bytes(data).best()
    codec = _codec(best.encoding) if best is not None else None
    if (
        codec
        and codec not in ("utf_8", "utf-8")
        and (not _single_byte(codec) or codec.replace("-", "_") in _NON_LATIN_SINGLE_BYTE)
    ):
        text = _strict(data, codec)
        if text is not None:
            return codec, text
    text = _strict(data, "cp1252")
    if text is not None:
        return "cp1252", text
    return "latin-1", data.decode("latin-1")


def decode_document(data: bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    """The document as UTF-8 bytes, read with the encoding it really uses.

    The XML declaration is rewritten to say UTF-8, and whitespace before it is dropped (a
    common server-side slip that otherwise makes the whole document ill-formed).
    """
    d = _decode(data, headers)
    return Decoded(_utf8_declaration(d.data), d.encoding, d.warnings)


_DECL_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def _utf8_declaration(data: bytes) -> bytes:
    if data[:1].isspace():
        stripped = data.lstrip()
        if stripped.startswith(b"<?xml"):
            data = stripped
    if data.startswith(b"<?xml"):
        return _DECL_ENCODING.sub(rb"\1\2utf-8\2", data[:512], count=1) + data[512:]
    return data


def _decode(data: bytes, headers: Mapping[str, str] | None) -> Decoded:
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    warnings: list[str] = []
    bom = _bom(data)
    if bom:
        text = _strict(data[bom[1] :], bom[0])
        if text is not None:
            return Decoded(text.encode("utf-8"), bom[0].replace("-be", "be").replace("-le", "le"))
        warnings.append(f"byte order mark says {bom[0]} but the bytes are not; guessed")
        data = data[bom[1] :]
    http_name = _charset_param(headers.get("content-type", ""))
    m = _XML_DECL.match(data[:512].lstrip())
    xml_name = m.group(1).decode("ascii") if m else None
    declared = [(src, name, _codec(name)) for src, name in (("HTTP", http_name), ("XML", xml_name))]
    for src, name, codec in declared:
        if name and codec is None:
            warnings.append(f"unknown encoding {name!r} declared in {src}; ignored")
    usable = [(s, n, c) for s, n, c in declared if c]
    # Multi-byte declarations validate themselves: take the first that decodes strictly.
    for _src, _name, codec in usable:
        if not _single_byte(codec):
            text = _strict(data, codec)
            if text is not None:
                return Decoded(text.encode("utf-8"), codec, tuple(warnings))
    # Undeclared or wrongly declared: strict UTF-8 is very reliable on non-ASCII text.
    text = _strict(data, "utf-8")
    if text is not None:
        wrong = [f"{n} ({s})" for s, n, c in usable if c != "utf-8" and not _single_byte(c)]
        if wrong:
            warnings.append(f"declared {', '.join(wrong)} but the bytes are UTF-8")
        return Decoded(text.encode("utf-8"), "utf-8", tuple(warnings))
    # A declared (or, with no declaration at all, XML's default UTF-8) multi-byte encoding
    # that fits all but a few bytes: those become U+FFFD, with a warning.
    fits = [(n, c) for _s, n, c in usable if not _single_byte(c)] or (
        [] if usable else [("XML's default", "utf-8")]
    )
    for name, codec in fits:
        text = _mostly(data, codec)
        if text is not None:
            bad = text.count("\ufffd")
            warnings.append(
                f"{bad} byte sequence(s) invalid in the declared {name}; replaced with U+FFFD"
            )
            return Decoded(text.encode("utf-8"), codec, tuple(warnings))
    # A single-byte declaration decodes anything; trust it unless the bytes read as CJK.
    for _src, _name, codec in usable:
        if _single_byte(codec):
            guess, guessed = _guess(data)
            if not _single_byte(guess):
                warnings.append(f"declared {_name} but the bytes read as {guess}; used {guess}")
                return Decoded(guessed.encode("utf-8"), guess, tuple(warnings))
            text = _strict(data, codec)
            if text is not None:
                return Decoded(text.encode("utf-8"), codec, tuple(warnings))
    codec, text = _guess(data)
    if usable:
        names = ", ".join(f"{n} ({s})" for s, n, _c in usable)
        warnings.append(f"declared {names} but the bytes do not decode so; read as {codec}")
    return Decoded(text.encode("utf-8"), codec, tuple(warnings))


# ---- hostile XML ------------------------------------------------------------------------------
#
# The prolog is tokenised for real (XML 1.0 section 2.8): comments, processing instructions,
# quoted literals, parameter-entity references and the internal subset's markup declarations,
# so no "]>" or "<a" inside a comment, PI or literal can end the DOCTYPE early or hide it. The
# output prolog holds at most the XML declaration and an external-ID-only DOCTYPE rebuilt from
# its tokens: no parser that runs afterwards (expat, feedparser's strict or loose parser, whose
# own DOCTYPE regexes look at everything before the first "<name") ever sees an entity
# declaration. Harmless internal entities are expanded here instead, within ``MAX_EXPANSION``.

_WS_RE = re.compile(rb"[ \t\r\n]*")
_NAME_START = re.compile(rb"<[A-Za-z_:\x80-\xff]")
_DOCTYPE_AT = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_NAME = re.compile(rb"[A-Za-z_:\x80-\xff][-A-Za-z0-9_:.\x80-\xff]*")
_CHARREF = re.compile(rb"&#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")
_DECLS = re.compile(rb"<!(?:ENTITY|DOCTYPE)", re.IGNORECASE)
_CDATA_OR_COMMENT = re.compile(rb"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)", re.DOTALL)
_PREDEFINED = frozenset({b"lt", b"gt", b"amp", b"apos", b"quot"})
_TAGS = re.compile(
    rb"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)|<[!?][^>]*>|<(/?)([A-Za-z_][^\s/>]*)[^>]*?(/?)>",
    re.DOTALL,
)

_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())


@dataclass
class Checked:
    data: bytes
    warnings: list[str] = field(default_factory=list)
    had_doctype: bool = False
    truncated_depth: bool = False


@dataclass
class _Entity:
    name: bytes
    parameter: bool
    external: bool
    value: bytes  # the literal as written (empty for external entities)


@dataclass
class Prolog:
    """What the tokeniser found before the root element."""

    root: int  # offset of the root element's "<" (len(data) when there is none)
    xml_decl: bytes = b""
    doctype_name: bytes = b""
    external_id: list[bytes] = field(default_factory=list)  # keyword and quoted literals
    has_doctype: bool = False
    has_subset: bool = False
    entities: list[_Entity] = field(default_factory=list)
    pe_refs: int = 0
    other_decls: int = 0
    problems: list[str] = field(default_factory=list)  # unterminated constructs, stray text


def _skip_ws(data: bytes, pos: int) -> int:
    m = _WS_RE.match(data, pos)
    return m.end() if m else pos


def _until(data: bytes, pos: int, end: bytes, what: str, problems: list[str]) -> int:
    """Offset just past ``end`` searched from ``pos``, or len(data) (noted) when missing."""
    at = data.find(end, pos)
    if at < 0:
        problems.append(f"unterminated {what}")
        return len(data)
    return at + len(end)


def _literal(data: bytes, pos: int, problems: list[str]) -> int:
    """``data[pos]`` is a quote: offset just past the matching one."""
    return _until(data, pos + 1, data[pos : pos + 1], "quoted literal", problems)


def _markup_decl(data: bytes, pos: int, problems: list[str]) -> int:
    """``<!ELEMENT ...>`` etc. from ``pos``: offset just past its ">" (literals skipped)."""
    n = len(data)
    i = pos + 2
    while i < n:
        c = data[i]
        if c in (0x22, 0x27):  # " '
            i = _literal(data, i, problems)
        elif c == 0x3E:  # >
            return i + 1
        else:
            i += 1
    problems.append("unterminated markup declaration")
    return n


def _entity_decl(decl: bytes) -> _Entity | None:
    """``<!ENTITY [%] name (literal | SYSTEM/PUBLIC ...)>`` read token by token."""
    pos = _skip_ws(decl, 8)
    parameter = decl[pos : pos + 1] == b"%"
    if parameter:
        pos = _skip_ws(decl, pos + 1)
    m = _NAME.match(decl, pos)
    if not m:
        return None
    name = m.group()
    pos = _skip_ws(decl, m.end())
    q = decl[pos : pos + 1]
    if q in (b'"', b"'"):
        end = decl.find(q, pos + 1)
        if end < 0:
            return None
        return _Entity(name, parameter, False, decl[pos + 1 : end])
    return _Entity(name, parameter, True, b"")


def _internal_subset(data: bytes, pos: int, pro: Prolog) -> int:
    """Tokens of the internal subset from just after "[": offset just past its "]"."""
    n = len(data)
    problems = pro.problems
    while pos < n:
        pos = _skip_ws(data, pos)
        if pos >= n:
            break
        c = data[pos]
        if c == 0x5D:  # ]
            return pos + 1
        if data.startswith(b"<!--", pos):
            pos = _until(data, pos + 4, b"-->", "comment", problems)
        elif data.startswith(b"<?", pos):
            pos = _until(data, pos + 2, b"?>", "processing instruction", problems)
        elif data.startswith(b"<!", pos):
            end = _markup_decl(data, pos, problems)
            decl = data[pos:end]
            if decl[2:8].upper() == b"ENTITY":
                ent = _entity_decl(decl)
                if ent is None:
                    pro.other_decls += 1
                    problems.append("an entity declaration it cannot read")
                else:
                    pro.entities.append(ent)
            else:
                pro.other_decls += 1
            pos = end
        elif c == 0x25:  # %name;
            pro.pe_refs += 1
            semi = data.find(b";", pos)
            pos = semi + 1 if semi >= 0 else n
        elif c in (0x22, 0x27):
            pos = _literal(data, pos, problems)
        else:
            pos += 1
            if "stray text in the internal subset" not in problems:
                problems.append("stray text in the internal subset")
    problems.append("unterminated internal subset")
    return n


def _doctype(data: bytes, pos: int, pro: Prolog) -> int:
    """Tokens of ``<!DOCTYPE ...>`` from ``pos``: offset just past its ">"."""
    pro.has_doctype = True
    n = len(data)
    i = _skip_ws(data, pos + 9)
    m = _NAME.match(data, i)
    if m:
        pro.doctype_name = m.group()
        i = m.end()
    while i < n:
        i = _skip_ws(data, i)
        if i >= n:
            break
        c = data[i]
        if c == 0x3E:  # >
            return i + 1
        if c in (0x22, 0x27):
            end = _literal(data, i, pro.problems)
            pro.external_id.append(data[i:end])
            i = end
        elif c == 0x5B:  # [
            pro.has_subset = True
            i = _internal_subset(data, i + 1, pro)
        else:
            m = _NAME.match(data, i)
            if m:
                pro.external_id.append(m.group())
                i = m.end()
            else:
                pro.problems.append("stray text in the DOCTYPE")
                i += 1
    pro.problems.append("unterminated DOCTYPE")
    return n


def read_prolog(data: bytes) -> Prolog:
    """Tokenise everything before the root element (see the section comment)."""
    n = len(data)
    pro = Prolog(root=n)
    pos = 0
    while pos < n:
        pos = _skip_ws(data, pos)
        if pos >= n:
            break
        if data.startswith(b"<?", pos):
            end = _until(data, pos + 2, b"?>", "processing instruction", pro.problems)
            if pos == 0 and data.startswith(b"<?xml", 0) and data[5:6].isspace():
                pro.xml_decl = data[:end]
            pos = end
        elif data.startswith(b"<!--", pos):
            pos = _until(data, pos + 4, b"-->", "comment", pro.problems)
        elif _DOCTYPE_AT.match(data, pos):
            if pro.has_doctype:
                pro.problems.append("a second DOCTYPE")
                pos = _doctype(data, pos, Prolog(root=n))
            else:
                pos = _doctype(data, pos, pro)
        elif _NAME_START.match(data, pos):
            pro.root = pos
            return pro
        else:
            nxt = data.find(b"<", pos + 1)
            pro.problems.append("stray text before the root element")
            pos = nxt if nxt >= 0 else n
    return pro


def _entity_problem(pro: Prolog) -> str | None:
    """Why the internal subset's entities cannot be expanded, or None when they can."""
    if pro.pe_refs or any(e.parameter for e in pro.entities):
        return "parameter entities"
    if any(e.external for e in pro.entities):
        return "external entities"
    if len(pro.entities) > MAX_ENTITIES:
        return f"{len(pro.entities)} entity declarations"
    if any(b"&" in _CHARREF.sub(b"", e.value) or b"%" in e.value for e in pro.entities):
        return "nested entity references"
    if pro.problems:
        return "a malformed DOCTYPE (" + "; ".join(dict.fromkeys(pro.problems)) + ")"
    return None


def _charref(m: re.Match[bytes]) -> bytes:
    try:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return chr(code).encode("utf-8")
    except (ValueError, OverflowError):
        return b""


def _outside_cdata(body: bytes, fn: Callable[[bytes], bytes]) -> bytes:
    """``fn`` applied to the parts of ``body`` outside CDATA sections and comments."""
    if b"<!" not in body:
        return fn(body)
    out: list[bytes] = []
    pos = 0
    for m in _CDATA_OR_COMMENT.finditer(body):
        out.append(fn(body[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(fn(body[pos:]))
    return b"".join(out)


def _refs(names: Iterable[bytes]) -> re.Pattern[bytes]:
    return re.compile(b"&(" + b"|".join(re.escape(k) for k in names) + b");")


def _expand(body: bytes, entities: list[_Entity]) -> tuple[bytes, str | None]:
    """``body`` with references to these harmless entities replaced (outside CDATA and
    comments), or unchanged with the reason when the total would exceed ``MAX_EXPANSION``."""
    values = {
        e.name: _CHARREF.sub(_charref, e.value) for e in entities if e.name not in _PREDEFINED
    }
    if not values:
        return body, None
    refs = _refs(values)
    total = 0
    for name in refs.findall(body):
        total += len(values[name])
        if total > MAX_EXPANSION:
            return body, f"entities expanding to more than {MAX_EXPANSION // 1024} KB"
    return _outside_cdata(body, lambda chunk: refs.sub(lambda m: values[m.group(1)], chunk)), None


def _literal_refs(body: bytes, entities: list[_Entity]) -> bytes:
    """References to entities whose declarations were removed become literal text
    (``&amp;name;``), so the document stays well-formed and no parser guesses at them."""
    names = {e.name for e in entities if not e.parameter and e.name not in _PREDEFINED}
    if not names:
        return body

    def escape(chunk: bytes) -> bytes:
        for name in names:
            chunk = chunk.replace(b"&" + name + b";", b"&amp;" + name + b";")
        return chunk

    return _outside_cdata(body, escape)


def _safe_external_id(pro: Prolog) -> bytes:
    """The DOCTYPE rebuilt from its tokens when it says nothing but a name and external ID."""
    ok = re.compile(rb"""(?:PUBLIC|SYSTEM|"[^"<>\[\]%&]*"|'[^'<>\[\]%&]*')\Z""")
    if pro.has_subset or pro.problems or not pro.doctype_name:
        return b""
    if not all(ok.match(t) for t in pro.external_id):
        return b""
    return b" ".join([b"<!DOCTYPE", pro.doctype_name, *pro.external_id]) + b">"


def _strip_stray_decls(data: bytes) -> bytes:
    """Entity and DOCTYPE declarations after the prolog (outside CDATA and comments) are
    removed: no XML parser honours them there, but a loose one might."""
    out: list[bytes] = []
    pos = 0
    n = len(data)
    for m in _DECLS.finditer(data):
        if m.start() < pos:
            continue
        skip = None
        for c in _CDATA_OR_COMMENT.finditer(data, pos, m.start() + 1):
            if c.start() <= m.start() < c.end():
                skip = c.end()
        if skip is not None:
            continue
        out.append(data[pos : m.start()])
        if data[m.start() + 2 : m.start() + 3].upper() == b"D":
            scratch = Prolog(root=n)
            pos = _doctype(data, m.start(), scratch)
        else:
            pos = _markup_decl(data, m.start(), [])
    out.append(data[pos:])
    return b"".join(out)


def check_xml(data: bytes, *, max_depth: int | None = MAX_DEPTH) -> Checked:
    """Defuse entity declarations and cut absurd nesting (see the module docstring);
    ``max_depth=None`` skips the nesting scan."""
    out = Checked(data)
    if b"<!" in data[:4096] or _DECLS.search(data):
        out.data = _defuse(data, out)
    if max_depth is None or out.data.count(b"<") <= max_depth:
        return out
    out.data = _cut_depth(out.data, max_depth, out)
    return out


def _defuse(data: bytes, out: Checked) -> bytes:
    pro = read_prolog(data)
    body = data[pro.root :]
    if pro.has_doctype:
        out.had_doctype = True
        problem = None
        if pro.entities or pro.pe_refs:
            problem = _entity_problem(pro)
            if problem is None:
                body, problem = _expand(body, pro.entities)
        if problem:
            body = _literal_refs(body, pro.entities)
            out.warnings.append(
                f"removed a DOCTYPE with {problem} (entity-expansion guard); "
                "references to them stay as literal text"
            )
    if _DECLS.search(body):
        body = _strip_stray_decls(body)
    head = pro.xml_decl + (b"\n" + _safe_external_id(pro) if pro.has_doctype else b"")
    return head + (b"\n" if head else b"") + body


def _cut_depth(data: bytes, max_depth: int, out: Checked) -> bytes:
    """Elements nested deeper than ``max_depth`` lose their tags (their text stays)."""
    depth = 0
    cut = False
    pieces: list[bytes] = []
    pos = 0
    for m in _TAGS.finditer(data):
        closing, name, self_closing = m.group(1), m.group(2), m.group(3)
        if closing is None or name.lower() in _VOID:
            continue  # CDATA, comment, PI, declaration; HTML void elements often left open
        if closing:
            deep = depth > max_depth
            depth = max(0, depth - 1)
        elif self_closing:
            deep = depth >= max_depth
        else:
            depth += 1
            deep = depth > max_depth
        if deep:
            cut = True
            if m.start() > pos:
                pieces.append(data[pos : m.start()])
            pos = m.end()
    if not cut:
        return data
    pieces.append(data[pos:])
    out.truncated_depth = True
    out.warnings.append(
        f"elements nested deeper than {max_depth} levels lost their tags (deep-nesting guard)"
    )
    return b"".join(pieces)
