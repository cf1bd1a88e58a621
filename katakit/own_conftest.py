"""The conftest.py of the scratch folder in which the user's own tests run (katakit/grading.py
copies it there; the timer never imports it).

It streams each test's result as the kit's graded runs do (the format is in katakit/results.py),
so that a run stopped at its wall limit still tells what it had done, and it keeps hangs short:
a test with no result within KATAKIT_OWN_LIMIT seconds fails as hung (pytest-timeout), and once
one has, every later test gets AFTER_HANG seconds.
"""

import json
import os

import pytest

LIMIT = float(os.environ.get("KATAKIT_OWN_LIMIT", "5"))
AFTER_HANG = 1.0
_state = {"stream": None, "hung": False, "reports": {}, "limits": {}}


def _write(**line):
    stream = _state["stream"]
    if stream is not None:
        stream.write(json.dumps(line) + "\n")
        stream.flush()


def pytest_configure(config):
    path = os.environ.get("KATAKIT_OWN_REPORT")
    if path:
        _state["stream"] = open(path, "w", encoding="utf-8")  # noqa: SIM115 - open for the run


def pytest_collection_finish(session):
    _write(event="collected", impl="own tests",
           tests=[{"id": item.nodeid, "category": "own"} for item in session.items])


def pytest_collectreport(report):
    if report.failed:
        lines = [line for line in report.longreprtext.splitlines() if line.strip()]
        errors = [line[1:].strip() for line in lines if line.startswith("E ")]
        _write(event="error", message=(errors or lines or ["collection failed"])[-1])


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    limit = AFTER_HANG if _state["hung"] else LIMIT
    item.add_marker(pytest.mark.timeout(limit), append=False)
    _state["limits"][item.nodeid] = limit
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and call.excinfo is not None:
        text = call.excinfo.exconly().strip().splitlines()
        first = text[0] if text else call.excinfo.typename
        if "Timeout (>" in first and "pytest-timeout" in first:
            first = f"hung: no result within {_state['limits'].get(item.nodeid, LIMIT):g} s"
        report.katakit_first_line = first
    return report


def pytest_runtest_logreport(report):
    reports = _state["reports"].setdefault(report.nodeid, [])
    reports.append(report)
    if report.when != "teardown":
        return
    del _state["reports"][report.nodeid]
    outcome, message = "passed", None
    for each in reports:
        if each.failed:
            message = getattr(each, "katakit_first_line", None) or \
                (each.longreprtext.strip().splitlines() or ["failed"])[0]
            outcome = "failed" if each.when == "call" else "error"
            if message.startswith("hung:"):
                outcome = "hung"
            break
        if each.skipped:
            outcome = "skipped"
    if outcome == "hung":
        _state["hung"] = True
    _write(event="test", id=report.nodeid, outcome=outcome, message=message,
           seconds=round(sum(r.duration for r in reports), 4),
           limit=_state["limits"].get(report.nodeid))


def pytest_sessionfinish(session, exitstatus):
    _write(event="finished", exit=int(exitstatus))
