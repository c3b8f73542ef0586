"""`policykg neo4j start|stop|status`, the server config, and `connect` errors."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import neo4j as neo4j_lib
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from api.cli import app
from graph.neo4j import server as neo4j_server
from graph.neo4j.connection import connect, dev_server_uri, neo4j_uri
from graph.settings import Settings, get_settings
from ontology.errors import SetupError, StoreUnavailable

runner = CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI's settings point at an empty data folder and an unused Bolt port."""
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYKG_NEO4J_BOLT_PORT", str(free_port()))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_status_when_stopped_prints_uri_and_exits_3(isolated: Path) -> None:
    port = os.environ["POLICYKG_NEO4J_BOLT_PORT"]
    result = runner.invoke(app, ["neo4j", "status"])
    assert result.exit_code == 3
    assert result.stdout.split() == [
        "stopped",
        f"bolt://127.0.0.1:{port}",
        "home",
        str((isolated / "neo4j").resolve()),
    ]


def test_stop_when_not_running_succeeds(isolated: Path) -> None:
    result = runner.invoke(app, ["neo4j", "stop"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "Neo4j is not running."


def test_stale_pid_file_of_another_process_is_not_running(isolated: Path) -> None:
    home = isolated / "neo4j"
    home.mkdir(parents=True)
    # This pytest process is alive but is not our launcher: a recycled pid must not count.
    (home / "neo4j.pid").write_text(f"{os.getpid()}\n")
    assert runner.invoke(app, ["neo4j", "status"]).exit_code == 3
    assert runner.invoke(app, ["neo4j", "stop"]).stdout.strip() == "Neo4j is not running."
    assert not (home / "neo4j.pid").exists()


def test_start_without_java_names_what_to_install(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = runner.invoke(app, ["neo4j", "start"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "Setup error: `java` was not found on PATH" in message
    assert "apt-get install openjdk-17-jdk-headless maven" in message
    assert "Traceback" not in result.output


@pytest.mark.skipif(not Path("/usr/bin/java").exists(), reason="needs java at /usr/bin/java")
def test_first_start_without_maven_names_what_to_install(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_java = tmp_path / "java-bin"
    only_java.mkdir()
    (only_java / "java").symlink_to(Path("/usr/bin/java").resolve())
    monkeypatch.setenv("PATH", str(only_java))
    result = runner.invoke(app, ["neo4j", "start"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "Setup error: `mvn` was not found on PATH" in message
    assert "apt-get install openjdk-17-jdk-headless maven" in message
    assert not (isolated / "neo4j" / "neo4j.pid").exists()


def test_server_config_binds_loopback_and_hardens(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, neo4j_bolt_port=7699, neo4j_pagecache="256m")
    paths = neo4j_server.ServerPaths(settings.neo4j_home)
    config = neo4j_server.server_config(settings, paths)
    assert config["server.bolt.listen_address"] == "127.0.0.1:7699"
    assert config["server.default_listen_address"] == "127.0.0.1"
    assert config["server.memory.pagecache.size"] == "256m"
    assert config["dbms.security.auth_enabled"] == "true"
    assert config["dbms.security.allow_csv_import_from_file_urls"] == "false"
    assert config["server.directories.import"] == str(tmp_path / "neo4j" / "import")
    assert config["dbms.security.procedures.allowlist"] == ""
    assert config["db.transaction.timeout"] == "120s"
    assert config["dbms.memory.transaction.total.max"] == "512m"
    assert config["server.http.enabled"] == "false"


def test_heap_is_bounded_by_settings(tmp_path: Path) -> None:
    options = neo4j_server.jvm_options(Settings(data_dir=tmp_path, neo4j_heap="768m"))
    assert options[:2] == ["-Xms768m", "-Xmx768m"]
    assert [o for o in options if o.startswith("-Xmx")] == ["-Xmx768m"]


def test_bad_memory_sizes_are_setup_errors(tmp_path: Path) -> None:
    bad_cache = Settings(data_dir=tmp_path, neo4j_pagecache="lots")
    with pytest.raises(SetupError, match="neo4j_pagecache='lots' is not a memory size"):
        neo4j_server.server_config(bad_cache, neo4j_server.ServerPaths(bad_cache.neo4j_home))
    with pytest.raises(SetupError, match="neo4j_heap='2 GB' is not a memory size"):
        neo4j_server.jvm_options(Settings(data_dir=tmp_path, neo4j_heap="2 GB"))


def test_uri_defaults_to_the_local_dev_server(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, neo4j_uri=None, neo4j_bolt_port=7700)
    assert neo4j_uri(settings) == "bolt://127.0.0.1:7700"
    other = settings.model_copy(update={"neo4j_uri": "neo4j://db.example:7687"})
    assert neo4j_uri(other) == "neo4j://db.example:7687"


def test_connect_to_absent_server_says_how_to_start_one(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    settings = Settings(data_dir=tmp_path, neo4j_uri=uri)
    with pytest.raises(StoreUnavailable) as caught:
        connect(settings)
    assert f"Neo4j is not reachable at {uri}" in caught.value.detail
    assert "`policykg neo4j start`" in caught.value.detail
    assert "NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD" in caught.value.detail


def test_connect_with_malformed_uri_is_a_setup_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, neo4j_uri="http://127.0.0.1:7474")
    with pytest.raises(SetupError, match=r"NEO4J_URI 'http://127\.0\.0\.1:7474' is not a Bolt URI"):
        connect(settings)
    bad_port = Settings(data_dir=tmp_path, neo4j_uri="bolt://127.0.0.1:notaport")
    with pytest.raises(StoreUnavailable, match=r"not reachable at bolt://127\.0\.0\.1:notaport"):
        connect(bad_port)


# --- against the running server (.ci/test starts it) -------------------------------------


def non_loopback_addresses() -> list[str]:
    """IPv4 addresses of this machine other than 127.x (from `hostname -I`)."""
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10)
    except OSError:
        return []
    return [a for a in out.stdout.split() if "." in a and not a.startswith("127.")]


def test_running_server_answers_return_1(neo4j_driver: neo4j_lib.Driver) -> None:
    records, _, _ = neo4j_driver.execute_query("RETURN 1 AS one")
    assert [r["one"] for r in records] == [1]


def test_dev_server_listens_on_loopback_only_and_requires_password(
    neo4j_driver: neo4j_lib.Driver, settings: Settings
) -> None:
    if neo4j_uri(settings) != dev_server_uri(settings):
        pytest.skip(f"NEO4J_URI points at another server: {settings.neo4j_uri}")
    addresses = non_loopback_addresses()
    for address in addresses:
        with socket.socket() as sock, pytest.raises(OSError):
            sock.settimeout(3)
            sock.connect((address, settings.neo4j_bolt_port))
    wrong = settings.model_copy(update={"neo4j_password": SecretStr("not-the-password")})
    with pytest.raises(StoreUnavailable, match="refused the credentials of user 'neo4j'"):
        connect(wrong)
    if settings.ci:  # .ci/test started the server with the environment's data folder
        assert neo4j_server.status(Settings()).running


@pytest.mark.slow
@pytest.mark.neo4j
def test_start_twice_then_stop_lifecycle(
    neo4j_driver: neo4j_lib.Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second server in its own folder and port: start, start again, status, stop."""
    running_dist = Settings().neo4j_home / "dist"  # before the environment changes
    port = free_port()
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYKG_NEO4J_BOLT_PORT", str(port))
    monkeypatch.setenv("POLICYKG_NEO4J_HEAP", "256m")
    monkeypatch.setenv("POLICYKG_NEO4J_PAGECACHE", "64m")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("POLICYKG_NEO4J_URI", raising=False)
    if running_dist.is_dir():  # reuse the jars the running server fetched (saves ~15 s)
        (tmp_path / "data" / "neo4j").mkdir(parents=True)
        (tmp_path / "data" / "neo4j" / "dist").symlink_to(running_dist.resolve())
    get_settings.cache_clear()
    try:
        first = runner.invoke(app, ["neo4j", "start"])
        assert first.exit_code == 0, first.output
        assert f"started at bolt://127.0.0.1:{port}" in " ".join(first.stdout.split())
        pid = int((tmp_path / "data" / "neo4j" / "neo4j.pid").read_text())
        again = runner.invoke(app, ["neo4j", "start"])
        assert again.exit_code == 0
        assert f"already running at bolt://127.0.0.1:{port} (pid {pid}" in " ".join(
            again.stdout.split()
        )
        status = runner.invoke(app, ["neo4j", "status"])
        assert status.exit_code == 0
        assert status.stdout.split()[:4] == ["running", "pid", str(pid), f"bolt://127.0.0.1:{port}"]
        driver = connect(get_settings())
        try:
            records, _, _ = driver.execute_query("RETURN 2 AS two")
            assert records[0]["two"] == 2
        finally:
            driver.close()
    finally:
        stopped = runner.invoke(app, ["neo4j", "stop"])
        get_settings.cache_clear()
    assert stopped.exit_code == 0
    assert stopped.stdout.strip() == f"Neo4j (pid {pid}) stopped."
    assert (
        not Path(f"/proc/{pid}").exists()
        or b"Neo4jLauncher" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    )
