"""The live preview: what it serves and refuses, how it rebuilds, how it stops."""

from __future__ import annotations

import http.client
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from logicmodel.preview import Preview, find_models
from logicmodel.serve import PreviewServer, is_loopback, watch
from tests.conftest import MODELS

FLAGSHIP = MODELS / "devolved_budgets.yaml"
EXE = Path(sys.executable).parent / "logicmodel"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "sub").mkdir(parents=True)
    shutil.copy(FLAGSHIP, root / "model.yaml")
    shutil.copy(MODELS / "parenting_realist.yaml", root / "sub" / "realist.yml")
    (root / "notes.yaml").write_text("just: yaml\n", encoding="utf-8")
    (root / "secret.txt").write_text("do not serve\n", encoding="utf-8")
    (root / ".hidden").mkdir()
    shutil.copy(FLAGSHIP, root / ".hidden" / "model.yaml")
    outside = tmp_path / "outside.yaml"
    shutil.copy(FLAGSHIP, outside)
    (root / "link.yaml").symlink_to(outside)
    return root


@pytest.fixture
def server(project: Path) -> Iterator[PreviewServer]:
    srv = PreviewServer(Preview(project), "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.preview.close()
        srv.shutdown()
        srv.server_close()


def _get(srv: PreviewServer, path: str, host: str | None = None,
         method: str = "GET") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=30)
    try:
        conn.putrequest(method, path, skip_host=True)  # the path goes out exactly as given
        conn.putheader("Host", host or f"127.0.0.1:{srv.server_address[1]}")
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_only_models_inside_the_project_are_found(project: Path) -> None:
    assert find_models(project) == ["model.yaml", "sub/realist.yml"]


def test_serves_the_models_and_their_list(server: PreviewServer) -> None:
    status, body = _get(server, "/")
    assert status == 200
    assert b'href="/view/model.yaml"' in body
    assert b'href="/view/sub/realist.yml"' in body
    status, body = _get(server, "/view/sub/realist.yml")
    assert status == 200
    assert b"lm-svg" in body
    assert b"Checked: no problems." in body


@pytest.mark.parametrize("path", [
    "/view/../outside.yaml", "/view/%2e%2e/outside.yaml", "/view/..%2foutside.yaml",
    "/view//etc/passwd", "/view/%2Fetc%2Fpasswd", "/etc/passwd", "/../../etc/passwd",
    "/view/secret.txt", "/view/notes.yaml", "/view/.hidden/model.yaml", "/view/link.yaml",
    "/view/sub/../model.yaml", "/view/model.yaml/", "/view/MODEL.yaml", "/view/%ff",
    "/model.yaml", "/events/../outside.yaml", "/secret.txt", "/favicon.ico",
])
def test_nothing_else_is_served(server: PreviewServer, path: str) -> None:
    status, body = _get(server, path)
    assert status == 404, path
    assert b"do not serve" not in body
    assert b"lm-svg" not in body


def test_other_hosts_and_methods_are_refused(server: PreviewServer) -> None:
    assert _get(server, "/view/model.yaml", host="attacker.example:80")[0] == 403
    assert _get(server, "/view/model.yaml", host="127.0.0.1.attacker.example")[0] == 403
    assert _get(server, "/view/model.yaml", host="localhost")[0] == 200
    assert _get(server, "/view/model.yaml", method="POST")[0] == 405
    assert _get(server, "/view/model.yaml", method="HEAD")[0] == 200


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.168.1.5")
    assert not is_loopback("example.org")


def test_a_save_rebuilds_the_page_with_located_diagnostics(project: Path) -> None:
    preview = Preview(project / "model.yaml")
    first = preview.page("model.yaml")
    assert first.rendered
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(preview, stop), daemon=True)
    thread.start()
    try:
        time.sleep(0.5)  # the watcher is listening
        text = (project / "model.yaml").read_text(encoding="utf-8")
        broken = text.replace("to: out_relational", "to: out_relationl", 1)
        assert broken != text
        (project / "model.yaml").write_text(broken, encoding="utf-8")
        version = preview.wait("model.yaml", first.version, 20)
        assert version != first.version
        build = preview.page("model.yaml")
        assert not build.rendered
        line = next(i for i, s in enumerate(broken.splitlines(), 1) if "out_relationl" in s)
        page = build.page.decode()
        assert re.search(rf"model\.yaml:{line}:\d+</code>: <strong>LM102</strong> error", page)
        assert "lm-svg" in page
        assert "last version that rendered" in page
    finally:
        stop.set()
        preview.close()
        thread.join(5)
    assert not thread.is_alive()


def _start(args: list[str], cwd: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([str(EXE), "serve", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"at (http://\S+/) \(Ctrl-C to stop\)", line)
    assert m, line + (proc.stderr.read() if proc.stderr and proc.poll() is not None else "")
    return proc, m.group(1)


def test_the_command_binds_to_localhost_and_stops_on_ctrl_c(project: Path) -> None:
    proc, url = _start(["model.yaml", "--port", "0"], project)
    try:
        assert url.startswith("http://127.0.0.1:")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped" in out
    assert "Traceback" not in err
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_a_taken_port_is_a_located_failure(project: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run([str(EXE), "serve", "model.yaml", "--port", str(port)],
                              cwd=project, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 3
    assert f"LM660 cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_missing_target_is_a_usage_error(cli: object, tmp_path: Path) -> None:
    result = cli("serve", str(tmp_path / "nope.yaml"))  # type: ignore[operator]
    assert result.code == 2
    assert "LM661" in result.err
    assert result.out == ""


def test_a_wider_address_is_only_used_when_asked_and_warned(project: Path) -> None:
    proc, url = _start(["model.yaml", "--port", "0", "--host", "0.0.0.0"], project)
    try:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert url.startswith("http://0.0.0.0:")
    assert "other machines" in err


def test_the_preview_page_s_policy_admits_its_two_scripts_and_the_server(
        server: PreviewServer) -> None:
    from tests.test_html import _Page, _sha

    _, body = _get(server, "/view/model.yaml")
    page = _Page()
    page.feed(body.decode())
    policy = dict(part.strip().split(" ", 1) for part in page.policy().split(";"))
    runnable = [t for a, t in page.scripts if a.get("type") != "application/json"]
    assert len(runnable) == 2
    assert policy["script-src"] == " ".join(_sha(s) for s in runnable)
    assert policy["style-src"] == " ".join(_sha(s) for s in page.styles)
    assert policy["connect-src"] == "'self'"
    assert policy["default-src"] == "'none'"


def test_a_model_added_to_the_folder_joins_the_list(project: Path) -> None:
    preview = Preview(project)
    seen = preview.version(None)
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(preview, stop), daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        shutil.copy(FLAGSHIP, project / "sub" / "second.yaml")
        preview.wait(None, seen, 20)
        deadline = time.monotonic() + 20
        while "sub/second.yaml" not in preview.models and time.monotonic() < deadline:
            preview.wait(None, preview.version(None), 1)
        assert "sub/second.yaml" in preview.models
        assert preview.page("sub/second.yaml").rendered
    finally:
        stop.set()
        preview.close()
        thread.join(5)


def test_the_figure_options_are_those_of_render(cli: object, project: Path) -> None:
    from logicmodel.render import RenderOptions

    options = RenderOptions(theme="color", pathways=("dedicated_resources",), others="hide")
    page = Preview(project / "model.yaml", options, "darlington").page("model.yaml")
    assert page.rendered
    text = page.page.decode()
    svg = text[text.index("<svg"):text.index("</svg>")]
    # Darlington's label for the budget; off the pathway (its own allocation step, the
    # base's identification step) is not drawn
    assert "Devolved budget of up to £10,000 per family" in svg
    assert "Allocate budgets" not in svg
    assert "Identify" not in svg
    # the figure `render` draws with those options, inside the preview's page
    out = project / "darlington.html"
    result = cli("render", str(project / "model.yaml"), "--variant", "darlington",  # type: ignore[operator]
                 "--theme", "color", "--pathway", "dedicated_resources", "--hide-others",
                 "-o", str(out))
    assert result.code == 0, result.err
    alone = out.read_text(encoding="utf-8")
    assert alone[alone.index("<svg"):alone.index("</svg>")] == svg


@pytest.mark.parametrize(("args", "code", "said"), [
    (["--variant", "darlingtn"], "LM046", "did you mean `darlington`?"),
    (["--pathway", "nope"], "LM608", "has no pathway `nope`"),
    (["--view", "nope"], "LM608", "has no view `nope`"),
])
def test_a_choice_the_model_lacks_is_refused_before_serving(cli: object, project: Path,
                                                            args: list[str], code: str,
                                                            said: str) -> None:
    result = cli("serve", str(project / "model.yaml"), "--port", "0",  # type: ignore[operator]
                 *args)
    assert result.code == 2
    assert code in result.err
    assert said in result.err
    assert "serving" not in result.out


def test_in_a_folder_a_model_without_the_variant_says_so_on_its_page(project: Path) -> None:
    preview = Preview(project, variant="darlington")
    assert preview.page("model.yaml").rendered
    other = preview.page("sub/realist.yml")
    assert not other.rendered
    assert "LM046" in other.page.decode()
    assert "has no variant `darlington`" in other.page.decode()


def test_an_unknown_band_type_is_refused_before_serving(cli: object, project: Path) -> None:
    result = cli("serve", str(project / "model.yaml"), "--port", "0",  # type: ignore[operator]
                 "--bands", "nope")
    assert result.code == 2
    assert "LM632" in result.err
