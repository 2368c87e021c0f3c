"""BibTeX for the archive: Google-Scholar-style citation keys and escaped entries (pure).

Keys read like Google Scholar's (``vinyals2015pointer``) and never change when a paper is
added; entries are ``@misc``; every value is escaped for LaTeX and BibTeX, and a ``$…$``
span is kept only when every token of it is on an allow-list (:func:`safe_math`).

Design notes: docs/modules.md, `site/bibtex.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..record.arxiv_id import abs_url
from ..record.model import Paper
from ..text.controls import strip_controls
from ..text.mathtext import INLINE_MATH, math_to_text

_MATH = INLINE_MATH  # the spans KaTeX renders on the page
#: Characters a kept math span may hold besides control sequences.
MATH_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \t_^{}+-=(),./|<>'[]:;!*"
)
#: Control sequences a kept math span may use: symbols, Greek, fonts and layout that
#: read no file, write none, define nothing and expand to nothing else.
MATH_COMMANDS = frozenset(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa
    lambda mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi
    psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
    mathcal mathbf mathrm mathit mathbb mathsf mathtt mathfrak boldsymbol bm
    times cdot leq geq le ge neq ne approx sim simeq cong equiv propto ll gg prec succ
    infty partial nabla sum prod int oint pm mp div circ bullet star ast cdots ldots dots
    vdots ddots in notin ni subset subseteq supset supseteq cup cap emptyset varnothing
    forall exists neg lnot land lor wedge vee to gets rightarrow leftarrow Rightarrow
    Leftarrow leftrightarrow Leftrightarrow longrightarrow mapsto uparrow downarrow
    prime hbar ell Re Im log ln exp sin cos tan min max arg lim sup inf det dim ker Pr
    mid parallel perp angle langle rangle lceil rceil lfloor rfloor lvert rvert lVert rVert
    vert Vert top bot dagger otimes oplus odot setminus colon
    hat bar tilde vec dot ddot check breve acute grave overline underline widehat
    widetilde sqrt frac dfrac tfrac binom left right big Big bigl bigr Bigl Bigr
    quad qquad""".split()  # noqa: SIM905
)
#: Control symbols a kept math span may use: thin spaces and escaped specials.
MATH_SYMBOLS = frozenset(" ,;:!{}|_%#&")
_TEX_TOKEN = re.compile(r"\\(?:([A-Za-z]+)|(.))|(.)", re.DOTALL)
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIALS))
_WORD = re.compile(r"[a-z0-9]+")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: Words Google Scholar skips when it picks the title word of a key.
STOP_WORDS = frozenset(
    """a an and are as at be but by can do does for from how in into is it its of on or
    our over than that the their this to towards toward via vs what when where which
    who why will with without you your we""".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class BibPaper:
    """What an entry needs: the record, a key, and where the paper lives."""

    key: str
    paper: Paper
    url: str | None  # arXiv's abstract page, or the archive page on the public site
    keywords: tuple[str, ...] = ()


# -- keys --------------------------------------------------------------------------


def ascii_words(text: str) -> list[str]:
    """Lowercase ASCII words of ``text``: accents folded (``Schölkopf`` -> ``scholkopf``),
    math and punctuation dropped."""
    folded = unicodedata.normalize("NFKD", _MATH.sub(" ", text))
    plain = folded.encode("ascii", "ignore").decode("ascii").lower().replace("'", "")
    return _WORD.findall(plain)


def last_name(author: str) -> str:
    """``Oriol Vinyals`` -> ``vinyals``; ``Vinyals, Oriol`` -> ``vinyals``; suffixes such
    as ``Jr.`` are skipped. Empty when the name has no ASCII letters."""
    if "," in author:
        words = ascii_words(author.split(",", 1)[0])
    else:
        words = [w for w in ascii_words(author) if w not in _NAME_SUFFIXES]
    return words[-1] if words else ""


def base_key(paper: Paper) -> str:
    """The key before it is made unique: ``vinyals2015pointer``."""
    title = [w for w in ascii_words(paper.title) if w not in STOP_WORDS]
    year = str(paper.published.year) if paper.published else ""
    name = last_name(paper.authors[0]) if paper.authors else ""
    if name:
        word = title[0] if title else ""
    else:
        name, word = [*title, "", ""][:2]
    key = f"{name}{year}{word}"
    return key if key and not key.isdigit() else f"paper{key}"


def citation_keys(papers: Iterable[tuple[str, Paper]]) -> dict[str, str]:
    """A unique key for each ``(slug, paper)``: the plain key for the first paper added,
    then ``a``, ``b``… (``aa`` after ``z``) for the others, never a key already taken."""
    return unique_keys((slug, paper, base_key(paper)) for slug, paper in papers)


def unique_keys(papers: Iterable[tuple[str, Paper, str]]) -> dict[str, str]:
    """:func:`citation_keys` of ``(slug, paper, base_key(paper))``: the base keys
    computed once per paper by the caller (a rebuild reuses those of unchanged papers)."""
    groups: dict[str, list[tuple[str, Paper]]] = defaultdict(list)
    for slug, paper, key in papers:
        groups[key].append((slug, paper))
    taken = set(groups)
    keys: dict[str, str] = {}
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda item: (item[1].added, item[0]))
        keys[members[0][0]] = key
        counter = 0
        for slug, _ in members[1:]:
            while True:
                candidate = key + _letters(counter)
                counter += 1
                if candidate not in taken:
                    break
            taken.add(candidate)
            keys[slug] = candidate
    return keys


def _letters(number: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, …"""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


# -- entries -----------------------------------------------------------------------


def latex_text(text: str) -> str:
    """``text`` with every LaTeX special escaped; the result's braces always balance."""
    return _SPECIAL_RE.sub(lambda m: _SPECIALS[m[0]], text)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def safe_math(math: str) -> bool:
    """Whether a math span (without its dollars) is allow-listed TeX: each token one of
    :data:`MATH_CHARACTERS`, :data:`MATH_COMMANDS` or :data:`MATH_SYMBOLS`, no ``^^``,
    and braces balanced for LaTeX (escaped ones aside) and for BibTeX (every brace)."""
    if "^^" in math or not _balanced(math) or not _balanced(re.sub(r"\\.", "", math)):
        return False
    for word, symbol, char in _TEX_TOKEN.findall(math):
        if word:
            if word not in MATH_COMMANDS:
                return False
        elif symbol:
            if symbol not in MATH_SYMBOLS:
                return False
        elif char not in MATH_CHARACTERS:
            return False
    return True


def escape(text: str) -> str:
    """A title or name as BibTeX (which is LaTeX) text.

    A ``$…$`` span is kept as written (``CO$_2$`` typesets as CO₂) when it is
    allow-listed TeX (:func:`safe_math`); one that is not is written as
    :func:`~paper_archive.text.mathtext.math_to_text`'s plain text. Everything outside math is
    escaped, braces as ``\\textbraceleft{}`` (BibTeX counts a backslashed brace too).
    Control characters are dropped first.
    """
    text = strip_controls(text)
    out: list[str] = []
    last = 0
    for match in _MATH.finditer(text):
        out.append(latex_text(text[last : match.start()]))
        math = match[1]
        out.append(match[0] if safe_math(math) else latex_text(math_to_text(math)))
        last = match.end()
    out.append(latex_text(text[last:]))
    return "".join(out)


def _author(name: str) -> str:
    escaped = escape(" ".join(name.split()))
    # A literal " and " inside one name would split it into two authors.
    return f"{{{escaped}}}" if re.search(r"\sand\s", escaped, re.IGNORECASE) else escaped


def primary_class(arxiv_id: str) -> str | None:
    """The subject class of an old-style id (``hep-th/9901001`` -> ``hep-th``); new-style
    ids (``2403.12345``) do not carry it."""
    return arxiv_id.split("/", 1)[0] if "/" in arxiv_id else None


def entry_fields(item: BibPaper) -> list[tuple[str, str]]:
    """The fields of one entry, in order, values already escaped (without delimiters)."""
    paper = item.paper
    fields = [("title", "{" + escape(" ".join(paper.title.split())) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_author(a) for a in paper.authors)))
    if paper.published:
        fields.append(("year", str(paper.published.year)))
    if paper.arxiv:
        fields += [("eprint", escape(paper.arxiv)), ("archivePrefix", "arXiv")]
        subject = primary_class(paper.arxiv)
        if subject:
            fields.append(("primaryClass", escape(subject)))
    if item.keywords:
        fields.append(("keywords", ", ".join(escape(k) for k in item.keywords)))
    if item.url:
        fields.append(("url", latex_url(item.url)))
    return fields


def latex_url(url: str) -> str:
    """A URL as a field value: kept as written (``url`` fields are verbatim, ``%``
    included), with the characters that would unbalance the value percent-encoded."""
    url = "".join(strip_controls(url).split())
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def entry(item: BibPaper) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in entry_fields(item))
    return f"@misc{{{item.key},\n{body}\n}}\n"


def bibliography(items: Sequence[BibPaper]) -> str:
    """Entries separated by blank lines, in the order given."""
    return "\n".join(entry(item) for item in items)


def paper_url(paper: Paper, *, page_url: str | None) -> str | None:
    """Where an entry's ``url`` points: arXiv when the id is known, else ``page_url``
    (the canonical page on the public site, or ``None``)."""
    return abs_url(paper.arxiv) if paper.arxiv else page_url


def bib_papers(
    entries: Iterable[tuple[str, Paper, str | None]],
    *,
    keys: Mapping[str, str],
    names: Mapping[str, str],
) -> list[BibPaper]:
    """``(slug, paper, canonical page URL or None)`` as entries, keywords from tag names."""
    return [
        BibPaper(
            key=keys[slug],
            paper=paper,
            url=paper_url(paper, page_url=page_url),
            keywords=tuple(names[t] for t in paper.tags if t in names),
        )
        for slug, paper, page_url in entries
    ]
