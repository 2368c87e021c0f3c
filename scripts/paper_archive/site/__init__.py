"""Everything the MkDocs hooks compute: pure functions over the collected papers.

The hooks in ``hooks/`` are thin adapters: they read files and MkDocs objects, call
these functions, and hand the results back to MkDocs.
"""
