"""Where one build keeps what its hooks share: on that build's config object.

Hook modules are imported once per process and reused by every rebuild of
``mkdocs serve``, so nothing is kept at module level: the archive collected in
``on_files`` rides on the config, which MkDocs creates anew for each build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .collect import Archive

_KEY = "_paper_archive"


def store(config: MkDocsConfig, archive: Archive) -> None:
    config[_KEY] = archive


def archive_of(config: MkDocsConfig) -> Archive:
    archive = config.get(_KEY)
    if archive is None:
        raise PluginError(
            "paper archive not collected: hooks/collect_papers.py must be listed first "
            "under hooks: in mkdocs.yml"
        )
    return archive
