"""Subcommands of the ``logicmodel`` command line, one module each.

Each module has ``HELP`` (one line for ``logicmodel --help``), a docstring (the
subcommand's description), ``add_arguments(parser)`` and ``run(args) -> int``.
Modules import only what building the parser needs; the work happens in ``run``.
"""
