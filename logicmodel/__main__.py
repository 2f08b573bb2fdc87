"""``python -m logicmodel``: the same as the ``logicmodel`` command."""

from .cli import console_main

console_main()
