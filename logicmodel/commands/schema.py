"""Print the JSON Schema of the model format, for editors and other validators.

Point your editor's YAML language server at it for completion, hover help and
inline errors:

    # yaml-language-server: $schema=../schema/logicmodel.schema.json
"""

from __future__ import annotations

import argparse
import sys

HELP = "print the JSON Schema of the model format"


def add_arguments(p: argparse.ArgumentParser) -> None:
    del p  # no options


def run(args: argparse.Namespace) -> int:
    from ..jsonschema import json_schema_text

    sys.stdout.write(json_schema_text())
    return 0
