"""The archive's MkDocs adapter: one object whose methods are MkDocs' events.

:class:`~.archive.PaperArchive` (``disk/archive.py``) is the only thing MkDocs sees (bound
by hooks/paper_archive_site.py); each of its events calls the parts below in the order
it states. Each part is the glue for one concern: ``papers`` (read every paper page),
``site_pages``, ``paper_pages``, ``index_pages``, ``exports``, ``search_index`` and
``dirty`` (what a dirty rebuild renders). ``state.py`` holds one build's state. The
serve machinery is paper_archive/serve/; what the site shows is computed by the plain
functions of paper_archive/site/ and paper_archive/search/.
"""
