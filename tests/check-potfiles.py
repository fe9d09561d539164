#!/usr/bin/env python3
"""Fails when po/POTFILES.in misses a file with translatable strings, lists
a file that does not exist, is not sorted, or when a translation in po/ is
incomplete or broken (msgfmt --check)."""
import os
import re
import subprocess
import sys

top = sys.argv[1]
failures = []

def listed():
    with open(os.path.join(top, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [l.strip() for l in f if l.strip() and not l.startswith('#')]

files = listed()
if files != sorted(files):
    failures.append('po/POTFILES.in is not sorted')
for f in files:
    if not os.path.exists(os.path.join(top, f)):
        failures.append(f'po/POTFILES.in lists {f}, which does not exist')

c_mark = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')
ui_mark = re.compile(r'translatable="yes"')
found = []
for d in ('src', 'resources', 'data'):
    for root, _, names in os.walk(os.path.join(top, d)):
        for n in names:
            path = os.path.join(root, n)
            rel = os.path.relpath(path, top)
            try:
                text = open(path, encoding='utf-8').read()
            except (UnicodeDecodeError, OSError):
                continue
            if n.endswith(('.c', '.h')) and c_mark.search(text):
                found.append(rel)
            elif n.endswith('.ui') and ui_mark.search(text):
                found.append(rel)
            elif n.endswith(('.desktop.in.in', '.metainfo.xml.in.in', '.gschema.xml')):
                found.append(rel)
for rel in sorted(found):
    if rel not in files:
        failures.append(f'{rel} has translatable strings but is not in po/POTFILES.in')

with open(os.path.join(top, 'po', 'LINGUAS'), encoding='utf-8') as f:
    langs = [l.strip() for l in f if l.strip() and not l.startswith('#')]
# Extract the strings as meson's glib preset does, so that a translation is
# judged against the sources as they are now, not against a stale .pot.
import tempfile
tmp = tempfile.mkdtemp()
pot = os.path.join(tmp, 'current.pot')
x = subprocess.run(['xgettext', '--from-code=UTF-8', '--add-comments',
                    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2',
                    '--keyword=NC_:1c,2', '--keyword=g_dngettext:2,3',
                    '--directory=' + top, '--files-from=' + os.path.join(top, 'po', 'POTFILES.in'),
                    '--output=' + pot], capture_output=True, text=True)
if x.returncode != 0:
    failures.append('xgettext failed: ' + x.stderr.strip())
for lang in langs:
    po = os.path.join(top, 'po', lang + '.po')
    merged = os.path.join(tmp, lang + '.po')
    m = subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '--output-file=' + merged, po, pot],
                       capture_output=True, text=True)
    if m.returncode != 0:
        failures.append(f'{po}: msgmerge failed: {m.stderr.strip()}')
        continue
    r = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, merged],
                       capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(f'{po}: msgfmt --check failed: {r.stderr.strip()}')
    elif 'untranslated' in r.stderr or 'fuzzy' in r.stderr:
        failures.append(f'{po}: incomplete: {r.stderr.strip()}')

if failures:
    for f in failures:
        print(f, file=sys.stderr)
    sys.exit(1)
print(f'{len(files)} files listed, {len(langs)} translations complete')
