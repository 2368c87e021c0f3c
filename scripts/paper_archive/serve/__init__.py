"""The serve machinery: what one ``mkdocs serve`` process keeps from build to build.

Everything here exists to make a rebuild fast, never to change what is built: the memo
of results by content key (:mod:`.memo`), the page texts read last (:mod:`.page_texts`),
the ledger of what each page's output was made from (:mod:`.incremental`), the related
lists and index (:mod:`.related_build`), the compiled templates (:mod:`.template_code`),
the memory given back between builds (:mod:`.memory`), and the threads that write a
serve rebuild's search bundle and exports once it is done (:mod:`.writers`). One
:class:`~.process.Process` holds them all for the life of the process. ``site/`` and
``search/`` import nothing from here; tests/test_serve_layer.py builds the site with
and without this layer and compares the two byte for byte.
"""
