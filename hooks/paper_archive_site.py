"""The archive's one MkDocs hook: the events of one :class:`PaperArchive` object.

MkDocs loads this module once per process, so :data:`ARCHIVE` lives as long as the
process: its serve layer is kept across the rebuilds of ``mkdocs serve``, its build
state made anew by each build (paper_archive/plugin/archive.py, where each event
calls the parts in a written order). Everything else is in paper_archive.
"""

from __future__ import annotations

from paper_archive.plugin.archive import PaperArchive

ARCHIVE = PaperArchive()

on_startup = ARCHIVE.on_startup
on_serve = ARCHIVE.on_serve
on_shutdown = ARCHIVE.on_shutdown
on_config = ARCHIVE.on_config
on_pre_build = ARCHIVE.on_pre_build
on_files = ARCHIVE.on_files
on_env = ARCHIVE.on_env
on_page_markdown = ARCHIVE.on_page_markdown
on_page_content = ARCHIVE.on_page_content
on_page_context = ARCHIVE.on_page_context
on_post_page = ARCHIVE.on_post_page
on_post_build = ARCHIVE.on_post_build
on_build_error = ARCHIVE.on_build_error
