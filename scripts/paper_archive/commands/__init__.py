"""Subcommands of ``papers`` that live in their own modules.

Each module keeps its logic in pure functions and ends with ``register(sub)``, which
adds its parser to the ``papers`` command line; ``cli.build_parser`` calls it.
"""
