#!/usr/bin/env python3
# `async-weather --run=MODE` while a window is open in another process starts that run in the
# open window, and the second process exits at once. The open window's history, saved under
# XDG_DATA_HOME, says a run of that mode happened there. Run under dbus-run-session and
# xvfb-run.
# Usage: check-run-remote.py APP
# SPDX-License-Identifier: GPL-3.0-or-later
import json, os, subprocess, sys, tempfile, time

APP_ID = "io.github.asyncweather.AsyncWeather"


def owned(name):
    answer = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                             "--object-path", "/org/freedesktop/DBus",
                             "--method", "org.freedesktop.DBus.NameHasOwner", name],
                            capture_output=True, text=True)
    return "true" in answer.stdout


def wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"not ok: {what} within {seconds} s")
        time.sleep(0.1)


app = sys.argv[1]
slowdown = max(1.0, float(os.environ.get("AW_TEST_SLOWDOWN", "1")))
with tempfile.TemporaryDirectory() as data_home:
    env = dict(os.environ, XDG_DATA_HOME=data_home)
    history = os.path.join(data_home, "async-weather", "history.json")
    first = subprocess.Popen([app], env=env)
    try:
        wait(lambda: owned(APP_ID), 60 * slowdown, "the first window took its name on the bus")
        second = subprocess.run([app, "--run=concurrent"], env=env, timeout=60 * slowdown)
        assert second.returncode == 0, second.returncode
        assert first.poll() is None, "the first window ended"

        def ran():
            try:
                with open(history) as saved:
                    return "concurrent" in json.dumps(json.load(saved))
            except (OSError, ValueError):
                return False

        wait(ran, 120 * slowdown, "the open window ran in Concurrent")
        print("ok: the open window ran the mode the second launch asked for")
    finally:
        first.terminate()
        first.wait()
