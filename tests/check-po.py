#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Translation checks, run by `meson test` (suite "po").

  check-po.py potfiles SRCDIR         every file with translatable strings is in POTFILES.in
  check-po.py complete SRCDIR LANG    LANG.po has every current string translated, none fuzzy
"""

import os
import re
import subprocess
import sys
import tempfile

C_MARKER = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext)\s*\(\s*"')
UI_MARKER = re.compile(r'translatable="yes"')
SCANNED_DIRS = ('src', 'data')
XGETTEXT_KEYWORDS = ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
                     '--keyword=g_dngettext:2,3', '--keyword=ngettext:1,2']


def potfiles(srcdir):
    with open(os.path.join(srcdir, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip() and not line.startswith('#')]


def has_translatable_strings(path):
    name = os.path.basename(path)
    if name.endswith(('.desktop.in', '.desktop.in.in', '.metainfo.xml.in', '.metainfo.xml.in.in')):
        return True
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False
    if name.endswith(('.c', '.h')):
        return C_MARKER.search(text) is not None
    if name.endswith('.ui'):
        return UI_MARKER.search(text) is not None
    if name.endswith('.gschema.xml'):
        return 'gettext-domain' in text
    return False


def check_potfiles(srcdir):
    listed = set(potfiles(srcdir))
    found = set()
    for top in SCANNED_DIRS:
        for root, _dirs, files in os.walk(os.path.join(srcdir, top)):
            for name in files:
                path = os.path.join(root, name)
                if has_translatable_strings(path):
                    found.add(os.path.relpath(path, srcdir))
    missing = sorted(found - listed)
    stale = sorted(p for p in listed if not os.path.exists(os.path.join(srcdir, p)))
    for p in missing:
        print(f'po/POTFILES.in: missing {p}, which has translatable strings')
    for p in stale:
        print(f'po/POTFILES.in: lists {p}, which does not exist')
    return 1 if missing or stale else 0


def check_complete(srcdir, lang):
    po = os.path.join(srcdir, 'po', f'{lang}.po')
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'puente.pot')
        merged = os.path.join(tmp, f'{lang}.po')
        subprocess.run(['xgettext', '--files-from=po/POTFILES.in', '--from-code=UTF-8',
                        *XGETTEXT_KEYWORDS, '-o', pot], cwd=srcdir, check=True)
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot],
                       check=True)
        stats = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, merged],
                               capture_output=True, text=True)
        print(f'{lang}.po: {stats.stderr.strip()}')
        if stats.returncode != 0 or 'untranslated' in stats.stderr or 'fuzzy' in stats.stderr:
            untranslated = subprocess.run(['msgattrib', '--untranslated', '--no-obsolete',
                                           merged], capture_output=True, text=True).stdout
            print('Strings without a translation (update po/%s.po):' % lang)
            print(untranslated)
            return 1
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == 'potfiles':
        return check_potfiles(argv[2])
    if len(argv) == 4 and argv[1] == 'complete':
        return check_complete(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
