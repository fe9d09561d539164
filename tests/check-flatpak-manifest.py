#!/usr/bin/env python3
"""Checks the Flatpak manifest without building it (that needs the network):
valid JSON, the app id and command this build produces, a GNOME runtime and
its SDK, our module built with meson from the source directory with its tests,
and every dependency meson.build asks for is either in the GNOME runtime or
built by a module of the manifest."""
import json
import os
import re
import sys

top, app_id = sys.argv[1], sys.argv[2]
manifest_path = os.path.join(top, 'flatpak', app_id + '.json')
failures = []

with open(manifest_path, encoding='utf-8') as f:
    try:
        m = json.load(f)
    except json.JSONDecodeError as e:
        print(f'{manifest_path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}', file=sys.stderr)
        sys.exit(1)

def need(cond, msg):
    if not cond:
        failures.append(msg)

need(m.get('id') == app_id, f'id is {m.get("id")!r}, expected {app_id!r}')
need(m.get('runtime') == 'org.gnome.Platform', 'runtime must be org.gnome.Platform')
need(m.get('sdk') == 'org.gnome.Sdk', 'sdk must be org.gnome.Sdk')
need(re.fullmatch(r'\d+', str(m.get('runtime-version', ''))) is not None,
     'runtime-version must be a stable GNOME release such as "49"')

meson_build = open(os.path.join(top, 'meson.build'), encoding='utf-8').read()
src_meson = ''
for root, _, names in os.walk(os.path.join(top, 'src')):
    for n in names:
        if n == 'meson.build':
            src_meson += open(os.path.join(root, n), encoding='utf-8').read()
need(f"executable('{m.get('command')}'" in src_meson,
     f'command {m.get("command")!r} is not an executable that src/ builds')

modules = m.get('modules', [])
need(len(modules) > 0, 'no modules')
if modules:
    app = modules[-1]
    need(app.get('buildsystem') == 'meson', 'the app module must use meson')
    need(app.get('run-tests') is True, 'the app module must run its tests')
    srcs = app.get('sources', [])
    dirs = [s for s in srcs if s.get('type') == 'dir']
    need(len(dirs) == 1, 'the app module must build from the source directory (one "dir" source)')
    if dirs:
        path = os.path.normpath(os.path.join(os.path.dirname(manifest_path), dirs[0]['path']))
        need(os.path.exists(os.path.join(path, 'meson.build')),
             f'dir source {dirs[0]["path"]!r} does not point at the source root')

for arg in m.get('finish-args', []):
    need(not arg.startswith('--filesystem=host') and arg != '--filesystem=home',
         f'finish-arg {arg} asks for more than the app needs')

# What the GNOME runtime (49, with the freedesktop SDK 25.08 below it)
# provides, by pkg-config name. Anything else needs a module here.
runtime_provides = {
    'glib-2.0', 'gio-2.0', 'gobject-2.0', 'gio-unix-2.0', 'gtk4', 'libadwaita-1',
    'libsoup-3.0', 'json-glib-1.0', 'libsecret-1', 'libarchive', 'zlib',
    'cairo', 'pango', 'pangocairo', 'gdk-pixbuf-2.0', 'libxml-2.0',
}
module_names = {mod.get('name') for mod in modules[:-1] if isinstance(mod, dict)}
deps = set(re.findall(r"dependency\('([^']+)'", meson_build + src_meson))
provided_by_module = {
    'openblas': 'openblas', 'lapacke': 'openblas', 'cblas': 'openblas',
}
for dep in sorted(deps):
    if dep in runtime_provides:
        continue
    mod = provided_by_module.get(dep, dep)
    need(mod in module_names, f'meson.build needs {dep}, which the GNOME runtime lacks and no module builds')

if failures:
    for f in failures:
        print(f'{manifest_path}: {f}', file=sys.stderr)
    sys.exit(1)
print(f'{manifest_path}: ok ({len(modules)} modules, runtime {m["runtime"]}//{m["runtime-version"]})')
