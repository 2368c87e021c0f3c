"""Title normalisation, slugs and near-duplicate detection (pure functions)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher

MAX_SLUG = 80
_SUFFIX_LEN = 6
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Everything that is not a letter or digit: punctuation, symbols, spaces, controls.
_FOLD = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """The identity of a title: NFKC, casefold, punctuation and whitespace folded.

    Two listings of one paper agree on this key even when they differ in case, quotes,
    dashes or spacing; "CO$_2$" and "CO_2" both become ``co 2``.
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    return _FOLD.sub(" ", text).strip()


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
    return slug


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


def near_duplicates(
    titles: Mapping[str, str], *, threshold: float = 0.85
) -> list[tuple[str, str, float]]:
    """Pairs of distinct titles that look alike: (id_a, id_b, similarity), sorted.

    ``titles`` maps an id (a path) to a title. Titles are compared only within buckets
    sharing their first three key words, so this stays near-linear on large archives.
    One title being a prefix of the other counts as similar.
    """
    buckets: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ident, title in titles.items():
        key = title_key(title)
        buckets[" ".join(key.split()[:3])].append((ident, key))
    pairs: list[tuple[str, str, float]] = []
    for members in buckets.values():
        members.sort()
        for i, (id_a, key_a) in enumerate(members):
            for id_b, key_b in members[i + 1 :]:
                if key_a == key_b:
                    continue  # exact duplicates are an error, reported elsewhere
                ratio = SequenceMatcher(None, key_a, key_b, autojunk=False).ratio()
                prefix = key_a.startswith(key_b) or key_b.startswith(key_a)
                if ratio >= threshold or prefix:
                    pairs.append((id_a, id_b, round(ratio, 3)))
    return sorted(pairs)
