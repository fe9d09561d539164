#!/usr/bin/python3
"""Walks the real application through the accessibility tree, as a screen
reader user would: finds the controls by role and name over AT-SPI (dogtail),
runs the first step with Next and comes back, checks that every button has a
name and that no step is described as not built.

Usage: test-a11y.py PATH-TO-personalize-workshop  (inside the headless
session of build-aux/run-tests.sh; prints TAP)."""
import os
import subprocess
import sys
import time

results = []


def check(name, cond, detail=''):
    results.append((name, bool(cond), detail))


def finish():
    print(f'1..{len(results)}')
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f'{"ok" if ok else "not ok"} {i} - {name}')
        if not ok:
            failed += 1
            if detail:
                print('# ' + str(detail).replace('\n', '\n# '))
    sys.exit(1 if failed else 0)


if not os.environ.get('DISPLAY'):
    if os.environ.get('PW_TESTS_REQUIRE_ALL'):
        print('1..1\nnot ok 1 - no display, but PW_TESTS_REQUIRE_ALL is set')
        sys.exit(1)
    print('1..0 # SKIP no display')
    sys.exit(0)

try:
    from dogtail.config import config
except ImportError:
    if os.environ.get('PW_TESTS_REQUIRE_ALL'):
        print('1..1\nnot ok 1 - python3-dogtail is missing (run with Debian\'s /usr/bin/python3)')
        sys.exit(1)
    print('1..0 # SKIP python3-dogtail is not installed')
    sys.exit(0)

config.checkForA11y = False
config.logDebugToStdOut = False
config.logDebugToFile = False
config.searchCutoffCount = 10
config.defaultDelay = 0.1
config.actionDelay = 0.1
from dogtail import tree, predicate  # noqa: E402

env = os.environ.copy()
env.pop('GTK_A11Y', None)          # GTests turn accessibility off; we need it
env.pop('NO_AT_BRIDGE', None)
proc = subprocess.Popen([sys.argv[1]], env=env)


def wait_for(fn, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = fn()
            if v:
                return v
        except Exception:
            pass
        time.sleep(0.2)
    return None


def find(parent, role, name):
    return parent.findChild(predicate.GenericPredicate(roleName=role, name=name),
                            retry=False, requireResult=False)


def header_title(frame):
    labels = frame.findChildren(predicate.GenericPredicate(roleName='label'),
                                isLambda=False)
    for i, l in enumerate(labels):
        if l.name.startswith('Step ') and ' of ' in l.name and i > 0:
            return labels[i - 1].name, l.name
    return None


try:
    app = wait_for(lambda: tree.root.application('personalize-workshop'))
    check('the application is on the accessibility bus', app is not None)
    if app is None:
        finish()
    frame = wait_for(lambda: find(app, 'frame', 'Personalize Workshop'))
    check('the main window is a frame named "Personalize Workshop"', frame is not None)
    if frame is None:
        finish()

    next_button = wait_for(lambda: find(frame, 'push button', 'Next'))
    back_button = find(frame, 'push button', 'Back')
    check('Next is a push button named "Next"', next_button is not None)
    check('Back is a push button named "Back"', back_button is not None)

    buttons = frame.findChildren(predicate.GenericPredicate(roleName='push button'))
    unnamed = [b for b in buttons if not b.name.strip()]
    check('every push button has an accessible name', not unnamed and buttons,
          f'{len(unnamed)} of {len(buttons)} unnamed')
    toggles = frame.findChildren(predicate.GenericPredicate(roleName='toggle button'))
    check('every toggle button has an accessible name', all(t.name.strip() for t in toggles))

    steps = find(frame, 'list', 'Workshop Steps')
    check('the sidebar is a list named "Workshop Steps"', steps is not None)
    if steps is not None:
        names = [c.name for c in steps.children if c.roleName == 'list item']
        check('the sidebar lists the nine steps and Results',
              names == ['Backend & Credentials', 'Data', 'Dataset Group', 'Training',
                        'Campaigns', 'Live Events', 'Batch Export', 'Analysis',
                        'Cleanup', 'Results'], names)

    # Every step is built: none is described as "not built yet".
    if steps is not None:
        descriptions = {c.name: c.description for c in steps.children if c.roleName == 'list item'}
        check('no step is described as not built',
              not any('not built yet' in (d or '') for d in descriptions.values()), descriptions)

    # Next runs the first step (the local engine starts) and moves on; Back
    # returns. The whole wizard, every step run, is test-wizard's job.
    check('the first step is "Step 1 of 9"',
          wait_for(lambda: header_title(frame) == ('Backend & Credentials', 'Step 1 of 9')),
          header_title(frame))
    next_button.doActionNamed('click')
    check('Next runs the first step and shows "Data", "Step 2 of 9"',
          wait_for(lambda: header_title(frame) == ('Data', 'Step 2 of 9'), timeout=60.0),
          header_title(frame))
    back_button.doActionNamed('click')
    check('Back returns to "Step 1 of 9"',
          wait_for(lambda: header_title(frame) == ('Backend & Credentials', 'Step 1 of 9')),
          header_title(frame))
finally:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()

finish()
