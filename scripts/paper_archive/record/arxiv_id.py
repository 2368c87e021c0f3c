"""arXiv identifiers: normalised, validated, and turned into links (pure functions).

The archive stores an identifier without its ``arXiv:`` prefix and without a version
suffix, so every version of a paper is one paper: ``2403.12345`` or, for papers from
before April 2007, ``hep-th/9901001`` (``math.GT/0309136`` with a subject class).
An old-style identifier contains a ``/``: :func:`file_safe` is the form to use in file
names and source ids, never the raw identifier.
"""

from __future__ import annotations

import re

_NEW = r"(?P<new>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})"
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})"
_ID_RE = re.compile(rf"^(?:{_NEW}|{_OLD})(?:v\d+)?$", re.ASCII)  # ASCII digits only
_URL_PREFIX_RE = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/", re.IGNORECASE
)
_PREFIX_RE = re.compile(r"^arxiv:\s*", re.IGNORECASE)

ABS_BASE = "https://arxiv.org/abs/"
PDF_BASE = "https://arxiv.org/pdf/"
HTML_BASE = "https://arxiv.org/html/"
#: arXiv renders HTML versions of papers submitted from December 2023 on; older ids have
#: none (their /html/ page says so), so no link is offered for them.
HTML_SINCE = "2312"


def normalize(text: str) -> str:
    """The canonical form of an identifier, a prefixed one (``arXiv:…``) or an
    abstract/PDF URL: no prefix, no version. Raises ``ValueError`` for anything else."""
    value = text.strip()
    value = _URL_PREFIX_RE.sub("", value)
    value = _PREFIX_RE.sub("", value)
    value = value.removesuffix(".pdf").rstrip("/")
    match = _ID_RE.match(value)
    if match is None:
        raise ValueError(f"not an arXiv identifier: {text!r}")
    return match["new"] or match["old"]


def parse(text: str) -> str | None:
    """:func:`normalize`, or ``None`` where that raises."""
    try:
        return normalize(text)
    except ValueError:
        return None


def file_safe(arxiv_id: str) -> str:
    """The identifier as a file-name fragment: ``hep-th/9901001`` -> ``hep-th-9901001``."""
    return normalize(arxiv_id).replace("/", "-").replace(".", "-").lower()


def abs_url(arxiv_id: str) -> str:
    """The abstract page (the latest version)."""
    return ABS_BASE + normalize(arxiv_id)


def pdf_url(arxiv_id: str) -> str:
    """The PDF of the latest version."""
    return PDF_BASE + normalize(arxiv_id)


def html_url(arxiv_id: str) -> str | None:
    """The HTML version of the latest version, or ``None`` for a paper submitted before
    arXiv made them (:data:`HTML_SINCE`; every old-style id)."""
    ident = normalize(arxiv_id)
    if "/" in ident or ident[:4] < HTML_SINCE:
        return None
    return HTML_BASE + ident
