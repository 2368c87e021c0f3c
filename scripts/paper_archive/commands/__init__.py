"""The ``papers`` subcommands, one module each, all of one shape.

Each module keeps its logic in pure functions (or in the layers below: ingest, sources,
the archive reader, validate), a ``cmd_*``/``run`` handler ``(args, console) -> int``
returning one of :mod:`.base`'s exit codes, and ends with ``register(sub)``, which adds
its parser to the ``papers`` command line (``cli.build_parser`` calls each). What they
share (exit codes, the project of ``--root``, flag types) is :mod:`.base`; how a plan is
reported, :mod:`.report`. The commands may import every layer; nothing imports them.
"""
