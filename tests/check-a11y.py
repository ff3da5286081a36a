#!/usr/bin/env python3
# What a screen reader hears: starts the app on the accessibility bus, walks its AT-SPI tree
# and fails on any element a person can focus whose name is missing, a widget class
# ("GtkEntry") or a mnemonic said twice ("_Run Run"). Run it under dbus-run-session and
# xvfb-run, with Debian's python3-pyatspi (so /usr/bin/python3).
# With --run=MODE among the app's arguments, it waits for the run to join the history first.
# Usage: check-a11y.py APP [ARG…]
# SPDX-License-Identifier: GPL-3.0-or-later
import re, subprocess, sys, time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi
import pyatspi

# Kept focusable by GTK itself, and named by what they hold (a list item by its row).
CONTAINERS = {"scroll pane", "list item", "filler"}


def find_app(process, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the app ended with status {process.returncode} before it showed")
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.get_process_id() == process.pid and app.childCount > 0:
                return app
        time.sleep(0.2)
    sys.exit(f"the app did not show up on the accessibility bus in {seconds} s")


def problem(node):
    name = node.name or ""
    role = node.getRoleName()
    if re.fullmatch(r"Gtk[A-Za-z]+", name):
        return "named by its widget class"
    words = name.replace("_", "").split()
    half = len(words) // 2
    if "_" in name or (words and len(words) % 2 == 0 and words[:half] == words[half:]):
        return "mnemonic or words said twice"
    if not name.strip() and role not in CONTAINERS:
        return "no name"
    return None


def roles(node):
    yield node.getRoleName()
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from roles(child)


def wait_until(condition, seconds, what):
    # Another process's tree: asked again until it holds, with a generous guard.
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"{what} in {seconds} s")
        time.sleep(0.1)


def window_filled(app):
    # The window is on screen and its city list has its rows.
    for i in range(app.childCount):
        frame = app.getChildAtIndex(i)
        if (frame is not None and frame.getState().contains(pyatspi.STATE_SHOWING)
                and "list item" in roles(frame)):
            return True
    return False


def walk(node, path, found):
    states = node.getState()
    here = f"{path} > [{node.getRoleName()}] {node.name!r}"
    if states.contains(pyatspi.STATE_FOCUSABLE) and states.contains(pyatspi.STATE_VISIBLE):
        reason = problem(node)
        if reason:
            found.append(f"{reason}: {here}")
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, here if len(here) < 200 else "…", found)


app_process = subprocess.Popen(sys.argv[1:])
try:
    app = find_app(app_process, 60)
    # Ask the app itself, not a cache: a cached name may be from before the window set it.
    app.set_cache_mask(Atspi.Cache.NONE)
    app.clear_cache()
    wait_until(lambda: window_filled(app), 60, "the window did not show its city rows")
    if any(arg.startswith("--run") for arg in sys.argv[2:]):
        wait_until(lambda: "check box" in roles(app), 120, "no run joined the history")
    found = []
    for i in range(app.childCount):
        walk(app.getChildAtIndex(i), "", found)
    for line in found:
        print(line)
    print(f"{len(found)} focusable elements without a proper name")
    sys.exit(1 if found else 0)
finally:
    app_process.terminate()
    app_process.wait()
