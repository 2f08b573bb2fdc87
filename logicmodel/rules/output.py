"""LM6xx (output): problems met while rendering a diagram and writing files.

These codes are emitted by ``logicmodel render``, not by a model rule: the
model is fine, but the figure cannot be made or saved. They are registered here
so that each has its documentation page (``logicmodel rules LM602``). All of
them exit with status 3 (environment), except LM608, LM609 and LM614 (usage, 2).
"""

from __future__ import annotations

from ..diagnostics import Severity
from .registry import rule

__all__: list[str] = []

E = Severity.ERROR


@rule("LM601", "engine-not-found", E)
def engine_not_found() -> None:
    """The layout engine is not installed.

    ## What it does
    Reported when the engine asked for cannot be found: the embedded engine
    (the `graphviz-pure` program installed with logicmodel) or the system
    Graphviz `dot`, which `--engine dot` and PDF output need.

    ## Why is this bad?
    No figure can be made. Nothing is written.

    ## Example
    ```text
    logicmodel: LM601 PDF output needs Graphviz's `dot`, which is not installed
        hint: install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: ...)
    ```
    """


@rule("LM602", "engine-timeout", E)
def engine_timeout() -> None:
    """The layout took longer than the time limit and was stopped.

    ## What it does
    The engine runs as a separate process with a time limit (`--timeout`, 60
    seconds by default). When the limit is reached the process and its children
    are killed and nothing is written.

    ## Why is this bad?
    Some graphs (hundreds of densely linked nodes) take Graphviz minutes or hours
    to lay out. Rather than hang a CI job, logicmodel stops.

    ## Example
    Render a view of the model (`--view`, `--pathway`) or fewer stages, or raise
    `--timeout`.
    """


@rule("LM603", "engine-failed", E)
def engine_failed() -> None:
    """The layout engine failed or crashed.

    ## What it does
    Reported when the engine exits with an error or is killed by a signal (for
    example when it runs out of memory). Its own message follows.

    ## Why is this bad?
    No figure can be made. Nothing is written. Please report it with the model.

    ## Example
    ```text
    logicmodel: LM603 the layout engine failed (exit status 1): Error: syntax error in line 3
    ```
    """


@rule("LM604", "cannot-write", E)
def cannot_write() -> None:
    """An output file cannot be written.

    ## What it does
    Reported when the folder does not exist or is not writable, or the disk is
    full. Files are written to a temporary file in the same folder and renamed
    into place, so an old figure is never left half-overwritten.

    ## Why is this bad?
    The figure is not saved.

    ## Example
    `-o /read-only/figure.svg` fails with LM604.
    """


@rule("LM605", "unsafe-output-path", E)
def unsafe_output_path() -> None:
    """The output path is a symbolic link, a folder or a special file.

    ## What it does
    Refuses to write to a path that is a symbolic link (it could point anywhere,
    for example at a file outside the project), a directory or a device.

    ## Why is this bad?
    In CI a pull request could plant `out/figure.svg -> ~/.ssh/authorized_keys`;
    following it would overwrite that file.

    ## Example
    Remove the link, or write to another path.
    """


@rule("LM606", "mermaid-limits", Severity.WARNING)
def mermaid_limits() -> None:
    """The Mermaid export is larger than Mermaid draws by default.

    ## What it does
    Warns when the flowchart has more than 500 links or 50,000 characters, the
    default `maxEdges` and `maxTextSize` of Mermaid (GitHub uses the defaults).

    ## Why is this bad?
    GitHub and most sites show an error box instead of the diagram.

    ## Example
    Export a view (`--view`, `--pathway`) instead of the whole model.
    """


@rule("LM607", "unsafe-svg", E)
def unsafe_svg() -> None:
    """The SVG made by the engine failed the safety check.

    ## What it does
    Every SVG is parsed before it is written: it must be well-formed XML with no
    `<script>`, `<foreignObject>`, `<image>`, event attributes (`onload=`) or
    `javascript:`/`data:` links.

    ## Why is this bad?
    SVG files end up in web pages and documentation sites; active content in
    them can run in a reader's browser. logicmodel never puts user text where it
    could become active content, so this code means a bug: please report it.

    ## Example
    Nothing is written when this happens.
    """


@rule("LM608", "unknown-view", E)
def unknown_view() -> None:
    """`--view` or `--pathway` names something the model does not declare.

    ## What it does
    Checks the name given on the command line against the model's `views:` (or
    `pathways:`), and lists the ones it has.

    ## Why is this bad?
    The figure asked for cannot be drawn. Exit status 2.

    ## Example
    ```text
    logicmodel: LM608 the model has no view `papr` (it has: paper, relationship)
    ```
    """


@rule("LM609", "unsupported-format", E)
def unsupported_format() -> None:
    """An output file name has no suffix logicmodel can write, or promises another format.

    ## What it does
    For `render`, the format comes from the suffix: `.svg`, `.png`, `.pdf`, `.dot`
    (or `.gv`) and `.mmd` (Mermaid). For `export`, the suffix must fit `--to`:
    `.md` or `.tex` for a table, `.md`, `.txt` or `.docx` for the narrative, `.docx`
    for the Word report, `.xlsx` for the workbook, a folder for `--to csv`.
    Anything else is refused before any work, as is a Word or Excel export
    without `-o`. Exit status 2.

    ## Why is this bad?
    The file would be written in a format its name does not promise: Word would
    refuse a "table.docx" that holds Markdown.

    ## Example
    `-o figure.jpg` fails with LM609; use `-o figure.png`.
    `export --to logframe -o table.docx` fails; use `--to docx -o report.docx`.
    """


@rule("LM615", "missing-extra", E)
def missing_extra() -> None:
    """An optional library that this output needs is not installed.

    ## What it does
    Word and Excel files are written with python-docx and openpyxl, which come
    with the `office` extra. Without them, `export --to docx`, `--to xlsx`, the
    narrative as `.docx` and `import` of an `.xlsx` stop with this code and the
    install command. Exit status 3 (environment).

    ## Why is this bad?
    The file cannot be made. Nothing is written.

    ## Example
    ```text
    logicmodel: LM615 Word output needs python-docx, which is not installed
        hint: install the office extra: pip install 'logicmodel[office]'
    ```
    """


@rule("LM614", "invalid-override", E)
def invalid_override() -> None:
    """An `--attr` override names an attribute that cannot be set, or a bad value.

    ## What it does
    Overrides (`--attr graph.nodesep=0.3`) are checked against an allowlist of
    graph, node and edge attributes with a value check each (numbers in a range,
    colours, one of a few fonts). Exit status 2.

    ## Why is this bad?
    Some Graphviz attributes read files (`image`, `shapefile`), add links to the
    SVG (`URL`, `href`) or crash old Graphviz releases with extreme values
    (`fontsize=1e9`). They are never passed through.

    ## Example
    ```text
    logicmodel: LM614 `node.image` cannot be overridden (allowed: color, fillcolor, ...)
    ```
    """
