#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Puente's shape, held by `meson test` (suite "shape"). See HACKING.md, "Layers".

  check-layers.py check SRCDIR    the rules below hold in SRCDIR
  check-layers.py self-test       each rule fires on a tree made to break it, and not on a clean one

The rules:
  app-includes-connector   src/app and src/cli include the core's front (src/core/*.h and the
                           registries and interfaces in src/core/{crm,sources,chats}/*.h), never a
                           connector's header (src/core/{crm,sources,chats}/NAME/)
  connector-includes-other a connector never includes another connector's header
  sandbox-includes-connector
                           a double in src/sandbox never includes a connector: it must not share
                           the client's reading of the API
  ui-opens-store           the UI never opens the store itself (puente_store_open in src/app)
  name-compared            no connector, source or profile id compared as a string outside the
                           registries and the connectors themselves
  file-too-long            no hand-written .c file of 800 lines or more (tests aside)
  function-too-long        no function of 150 lines or more
"""

import os
import re
import sys
import tempfile

FAMILIES = ('crm', 'sources', 'chats')
MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 150
SHAPED_DIRS = ('src', 'bench', 'fuzz')
# The registries, where ids are written once, and the profiles' table.
REGISTRIES = ('src/core/crm/puente-crm-registry.c', 'src/core/sources/puente-source-registry.c',
              'src/core/puente-profile.c')
# A row's id: `.id = "giav",` (profiles) or the first member, `{ "clientify", ...` (registries).
ID_IN_ROW = re.compile(r'(?:\.id\s*=\s*|^\s*\{\s*)"([a-z_]+)",', re.M)
KNOWN_IDS = {'clientify', 'ploomes', 'zappy', 'giav', 'file', 'gioweb', 'generic', 'jivochat'}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
COMPARE = re.compile(r'\b(?:g_str_equal|g_strcmp0|strcmp|strcasecmp|g_ascii_strcasecmp)\s*\(')
FUNCTION_NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*\s*\(')


def source_files(root, top):
    for folder, dirs, files in os.walk(os.path.join(root, top)):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(('.c', '.h')):
                yield os.path.relpath(os.path.join(folder, name), root)


def connector_of(path):
    """'crm/clientify' for src/core/crm/clientify/x.h, else None (the core's front)."""
    parts = path.split('/')
    if len(parts) >= 5 and parts[:2] == ['src', 'core'] and parts[2] in FAMILIES:
        return parts[2] + '/' + parts[3]
    return None


def read(root, path):
    with open(os.path.join(root, path), encoding='utf-8') as f:
        return f.read()


def layering(root):
    headers = {}
    for path in source_files(root, 'src/core'):
        if path.endswith('.h'):
            headers.setdefault(os.path.basename(path), path)

    problems = []
    for top in ('src/app', 'src/cli', 'src/core', 'src/sandbox'):
        for path in source_files(root, top):
            here = connector_of(path)
            for name in INCLUDE.findall(read(root, path)):
                target = headers.get(os.path.basename(name))
                there = connector_of(target) if target else None
                if there is None:
                    continue
                if top in ('src/app', 'src/cli'):
                    problems.append(('app-includes-connector', path, f'includes {target}'))
                elif top == 'src/sandbox':
                    problems.append(('sandbox-includes-connector', path, f'includes {target}'))
                elif here is not None and here != there:
                    problems.append(('connector-includes-other', path, f'includes {target}'))
    return problems


def store_opened(root):
    problems = []
    for path in source_files(root, 'src/app'):
        for number, line in enumerate(read(root, path).splitlines(), 1):
            if 'puente_store_open' in line:
                problems.append(('ui-opens-store', f'{path}:{number}', line.strip()))
    return problems


def names_compared(root):
    # Those the registries name, and those known today, should a registry be read wrong.
    ids = set(KNOWN_IDS)
    for registry in REGISTRIES:
        if os.path.exists(os.path.join(root, registry)):
            ids.update(ID_IN_ROW.findall(read(root, registry)))
    quoted = re.compile(r'"(' + '|'.join(sorted(ids)) + r')"')

    problems = []
    for top in ('src/app', 'src/cli', 'src/core'):
        for path in source_files(root, top):
            if path in REGISTRIES or connector_of(path) is not None:
                continue
            for number, line in enumerate(read(root, path).splitlines(), 1):
                if COMPARE.search(line) and quoted.search(line):
                    problems.append(('name-compared', f'{path}:{number}', line.strip()))
    return problems


def function_lengths(text):
    """(name, first line, lines) of each function: from its name to its closing brace."""
    lines = text.splitlines()
    start = None
    for number, line in enumerate(lines):
        if line == '{':
            start = number
            while start > 0 and not FUNCTION_NAME.match(lines[start]):
                start -= 1
        elif line == '}' and start is not None:
            name = lines[start].split('(')[0].strip()
            yield name, start + 1, number - start + 1
            start = None


def shape(root):
    problems = []
    for top in SHAPED_DIRS:
        for path in source_files(root, top):
            if not path.endswith('.c'):
                continue
            text = read(root, path)
            count = text.count('\n')
            if count >= MAX_FILE_LINES:
                problems.append(('file-too-long', path, f'{count} lines (under {MAX_FILE_LINES})'))
            for name, first, length in function_lengths(text):
                if length >= MAX_FUNCTION_LINES:
                    problems.append(('function-too-long', f'{path}:{first}',
                                     f'{name}: {length} lines (under {MAX_FUNCTION_LINES})'))
    return problems


def check(root):
    return layering(root) + store_opened(root) + names_compared(root) + shape(root)


def write(root, path, text):
    os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
    with open(os.path.join(root, path), 'w', encoding='utf-8') as f:
        f.write(text)


def clean_tree(root):
    write(root, 'src/core/crm/puente-crm-registry.c', '{ .id = "clientify" },\n{ .id = "zappy" },\n')
    write(root, 'src/core/crm/puente-crm.h', '#pragma once\n')
    write(root, 'src/core/crm/clientify/puente-clientify.h', '#pragma once\n')
    write(root, 'src/core/crm/clientify/puente-clientify.c',
          '#include "puente-clientify.h"\n#include "puente-crm.h"\n')
    write(root, 'src/core/crm/zappy/puente-zappy.h', '#pragma once\n')
    write(root, 'src/core/puente-connection.c',
          '#include "puente-crm.h"\n#include "puente-clientify.h"\n'
          'static int\nf (void)\n{\n  return puente_crm_can (crm, "x");\n}\n')
    write(root, 'src/app/puente-window.c', '#include "puente-crm.h"\n')
    write(root, 'src/sandbox/sandbox-clientify.c', '#include "sandbox-clientify.h"\n')
    write(root, 'bench/ui.c', 'static void\nf (void)\n{\n' + '  ;\n' * 140 + '}\n')


# Each rule, and one change to the clean tree that breaks it.
BREAKS = {
    'app-includes-connector': ('src/cli/puente-sync-run.c', '#include "puente-clientify.h"\n'),
    'connector-includes-other': ('src/core/crm/clientify/puente-clientify-json.c', '#include "puente-zappy.h"\n'),
    'sandbox-includes-connector': ('src/sandbox/sandbox-zappy.c', '#include "puente-zappy.h"\n'),
    'ui-opens-store': ('src/app/puente-dashboard.c', 'store = puente_store_open (path, &error);\n'),
    'name-compared': ('src/app/puente-wizard.c', 'if (g_strcmp0 (kind, "zappy") == 0)\n'),
    'file-too-long': ('src/core/puente-engine.c', '\n' * MAX_FILE_LINES),
    'function-too-long': ('fuzz/fuzz-csv.c', 'int\nmain (void)\n{\n' + '  ;\n' * MAX_FUNCTION_LINES + '}\n'),
}


def self_test():
    failures = []
    with tempfile.TemporaryDirectory() as root:
        clean_tree(root)
        found = check(root)
        if found:
            failures.append(f'the clean tree is flagged: {found}')
    for rule, (path, text) in BREAKS.items():
        with tempfile.TemporaryDirectory() as root:
            clean_tree(root)
            write(root, path, text)
            rules = {problem[0] for problem in check(root)}
            if rules != {rule}:
                failures.append(f'{rule}: breaking it with {path} flags {sorted(rules) or "nothing"}')
    for failure in failures:
        print(failure)
    return 1 if failures else 0


def main(argv):
    if len(argv) == 2 and argv[1] == 'self-test':
        return self_test()
    if len(argv) != 3 or argv[1] != 'check':
        print(__doc__)
        return 2
    problems = check(argv[2])
    for rule, where, what in problems:
        print(f'{rule}: {where}: {what}')
    if problems:
        print(f'{len(problems)} problems; HACKING.md, "Layers", says where things go.')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
