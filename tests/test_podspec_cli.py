"""`python -m learn.podspec run`: a Pod's lifecycle simulated from the command line, as text
(`kubectl get pod -w` and the Events), JSON, SVG or PNG, with the exit codes of `diagram`."""

import io
import json
import textwrap

import pytest

from learn.podspec.cli import main

CRASHY = textwrap.dedent(
    """\
    apiVersion: v1
    kind: Pod
    metadata:
      name: crashy
    spec:
      containers:
        - name: app
          image: busybox:1.36
          command: ["sh", "-c", "echo starting; sleep 5; exit 1"]
    """
)
# The lesson's PID 1 trap: a shell as PID 1 has no SIGTERM handler (pid_namespaces(7)).
STUBBORN = textwrap.dedent(
    """\
    apiVersion: v1
    kind: Pod
    metadata:
      name: stubborn
    spec:
      restartPolicy: Never
      containers:
        - name: shell
          image: busybox:1.36
          command: ["sh", "-c", "sleep 3600"]
    """
)


@pytest.fixture
def write(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def test_run_prints_the_outcome_what_it_assumed_the_watch_table_and_the_events(write, capsys):
    spec = write("crashy.yaml", CRASHY)
    scenario = write("scenario.yaml", "until: 60\n")
    assert main(["run", str(spec), "--scenario", str(scenario)]) == 0
    out = capsys.readouterr().out
    assert "Assumed:\n- `app`" in out  # the script's exit is inferred, and said
    watch = out.split("$ kubectl get pod crashy -w\n")[1].split("\n\n")[0].splitlines()
    assert watch[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    statuses = [line.split()[2] for line in watch[1:]]
    # pod-lifecycle "Container restarts": the first restart at once, then a back-off of 10 s, 20 s
    assert statuses[:3] == ["Running", "Error", "Running"]
    assert "CrashLoopBackOff" in statuses
    assert (
        "$ kubectl describe pod crashy   # its Events at 60s, when the run ends\nEvents:\n" in out
    )
    assert "BackOff" in out
    assert "Back-off restarting failed container app" in out


def test_without_a_scenario_the_spec_alone_says_what_runs(write, capsys):
    spec = write("stubborn.yaml", STUBBORN)
    assert main(["run", str(spec)]) == 0
    out = capsys.readouterr().out
    assert "- `shell` ignores SIGTERM" in out  # a shell as PID 1, inferred and said
    watch = out.split("$ kubectl get pod stubborn -w\n")[1].split("\n\n")[0].splitlines()
    assert [line.split()[1:4] for line in watch[1:]] == [["1/1", "Running", "0"]]


def test_deleting_a_pod_whose_pid_1_ignores_sigterm_takes_the_whole_grace_period(write, capsys):
    spec = write("stubborn.yaml", STUBBORN)
    scenario = write("scenario.yaml", "delete_at: 10\n")
    assert main(["run", str(spec), "--scenario", str(scenario), "--format", "json"]) == 0
    run = json.loads(capsys.readouterr().out)
    (lane,) = run["lanes"]
    exits = [mark for mark in lane["marks"] if mark["kind"] == "exit"]
    # pod-lifecycle "Termination of Pods": SIGKILL when the grace period (30 s) ends: 128 + 9
    assert [(mark["time"], mark["code"]) for mark in exits] == [(40, 137)]
    assert "Terminating" in [row["status"] for row in run["rows"]]
    assert run["removed_at"] >= 40


def test_run_writes_svg_and_png_chosen_by_format_or_by_the_output_name(write, tmp_path, capsys):
    spec = write("crashy.yaml", CRASHY)
    assert main(["run", str(spec), "--format", "svg", "--theme", "dark"]) == 0
    assert capsys.readouterr().out.startswith("<svg")
    assert main(["run", str(spec), "-o", str(tmp_path / "run.svg")]) == 0
    assert (tmp_path / "run.svg").read_text().startswith("<svg")
    assert main(["run", str(spec), "-o", str(tmp_path / "run.png")]) == 0
    assert (tmp_path / "run.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["run", str(spec), "-o", str(tmp_path / "run.json")]) == 0
    assert json.loads((tmp_path / "run.json").read_text())["pod"] == "crashy"
    assert main(["run", str(spec), "--format", "text", "-o", str(tmp_path / "run.txt")]) == 0
    assert "kubectl get pod crashy -w" in (tmp_path / "run.txt").read_text()


def test_scenario_problems_are_printed_at_their_lines(write, capsys):
    spec = write("crashy.yaml", CRASHY)
    scenario = write("s.yaml", "until: 60\ncontainers:\n  app:\n    exits_afer: 3\n")
    assert main(["run", str(spec), "--scenario", str(scenario)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{scenario}:4:5: error[")
    assert "exits_afer" in line
    # A container the Pod does not have is a problem of the scenario too, at its line.
    scenario = write("s.yaml", "containers:\n  ap: {exits_after: 3}\n")
    assert main(["run", str(spec), "--scenario", str(scenario)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{scenario}:2:")
    assert "`app`" in err or "'app'" in err  # the container it probably meant


def test_an_unknown_container_is_reported_with_the_other_problems_in_line_order(write, capsys):
    spec = write("crashy.yaml", CRASHY)
    scenario = write("s.yaml", "until: 5000\ncontainers:\n  ap: {exits_after: 3}\n")
    assert main(["run", str(spec), "--scenario", str(scenario)]) == 1
    first, second = capsys.readouterr().err.splitlines()
    assert first.startswith(f"{scenario}:1:8: error[scenario-bad-value]: `until`")
    assert second.startswith(f"{scenario}:3:3: error[scenario-unknown-container]: ")


def test_the_scenario_can_come_from_standard_input(write, capsys, monkeypatch):
    spec = write("crashy.yaml", CRASHY)
    stdin = type("Stdin", (), {"buffer": io.BytesIO(b"until: 30\n")})()
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["run", str(spec), "--scenario", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["end"] == 30
    stdin.buffer = io.BytesIO(b"until: soon\n")
    assert main(["run", str(spec), "--scenario", "-"]) == 1
    assert capsys.readouterr().err.startswith("<stdin>:1:8: error[scenario-bad-value]")
    with pytest.raises(SystemExit) as exit_:
        main(["run", "-", "--scenario", "-"])  # one standard input cannot hold both
    assert exit_.value.code == 2


def test_a_spec_that_cannot_run_is_refused_with_the_reason(write, capsys):
    config = write("config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert main(["run", str(config)]) == 1
    assert capsys.readouterr().err.startswith(f"{config}: cannot run: ")
    broken = write("broken.yaml", CRASHY.replace("name: app", "name: App"))
    assert main(["run", str(broken)]) == 1
    assert "cannot run" in capsys.readouterr().err
    unreadable = write("bad.yaml", "kind: [Pod\n")
    assert main(["run", str(unreadable)]) == 1
    assert capsys.readouterr().err.startswith(f"{unreadable}:")


def test_misuse_exits_2(write, tmp_path, capsys):
    spec = write("crashy.yaml", CRASHY)
    assert main(["run", str(tmp_path / "missing.yaml")]) == 2
    assert main(["run", str(spec), "--scenario", str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(spec), "--format", "png"])  # a PNG needs a file
    assert exit_.value.code == 2
    with pytest.raises(SystemExit):
        main(["run", str(spec), "--kubernetes-version", "0.1"])
    capsys.readouterr()
    # An output name whose format is unknown is refused, not written as text.
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(spec), "-o", str(tmp_path / "run.gif")])
    assert exit_.value.code == 2
    assert ".txt, .json, .svg or .png" in capsys.readouterr().err
    assert not (tmp_path / "run.gif").exists()


def test_the_library_runs_a_spec_as_the_cli_does():
    import learn.podspec as podspec

    timeline = podspec.simulate(CRASHY, podspec.parse_scenario("until: 30"))
    assert isinstance(timeline, podspec.Timeline)
    assert (timeline.pod, timeline.end) == ("crashy", 30)
    with pytest.raises(podspec.ScenarioError):
        podspec.parse_scenario("until: soon")
    with pytest.raises(podspec.NotRunnable):
        podspec.simulate("kind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\n")
