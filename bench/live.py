#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: what the live schedule's idle check costs. Prints figures, never pass/fail.
Run it inside a private session, as the tests are:

  tools/run-session bench/live.py [--clients N] [--rows R] [--checks K] [--latency-ms MS]
                                  [BUILD_DIR]

`puente-sync watch` (the live schedule, src/core/puente-watch.c) makes a `modified` run
every minute while the computer is on. Most of them find nothing changed: this measures
one of those, for each kind of source, after a first full sync:

- GIAV, with N generated clients beside the sandbox's demo data;
- an export (GIO Web's CSV) of R generated rows, read again whole at each check, since an
  export has no "changed since".

It runs `puente-sync watch --interval 1 --verbose`, waits for its first run, then for K
more (the idle checks), and prints per idle check: the requests by kind (service, method,
resource, from the sandbox's counters), the writes (there must be none), and the CPU time
of the watch process (its utime + stime from /proc, so the waiting costs nothing).

Each twice: just after the first sync, when the watermarks' 10-minute overlap
(PUENTE_WATERMARK_OVERLAP_MINUTES) still lists again every record the first sync wrote in
the CRM; and the usual case, the doubles' clocks 15 minutes later (POST /__sandbox/clock),
past the overlap.
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile

from sync import Sandbox, connect, difference, run

HEADER = ['cf_id', 'Nombre', 'Apellidos', 'Empresa (Tienda)', 'email', 'teléfono', 'dirección',
          'fecha de creación', 'cumpleaños', 'Aceptación GDPR', 'Fecha de aceptación GDPR',
          'cf_ultimaventa', 'cf_ultimagradlent', 'cf_ultimagradgafa', 'cf_enviasms',
          'cf_enviaemail']


def write_export(path, rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\n')
    writer.writerow(HEADER)
    for i in range(rows):
        writer.writerow([10000 + i, f'Cliente {i}', 'Pérez Gómez', 'Óptica Centro',
                         f'cliente{i}@example.es', f'+34 600 {i:06d}'[:15], f'Calle Mayor {i}',
                         '15/01/2020', '07/03/1985', 'Verdadero', '15/01/2020', '02/02/2024', '',
                         '', 'Verdadero', 'Falso'])
    with open(path, 'w', encoding='utf-8-sig') as export:
        export.write(out.getvalue())


def cpu_seconds(pid):
    with open(f'/proc/{pid}/stat') as stat:
        fields = stat.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def measure(sync, sandbox, data_dir, checks):
    watch = subprocess.Popen([sync, '--data-dir', data_dir, 'watch', '--interval', '1',
                              '--verbose'], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, **sandbox.env})
    try:
        watch.stdout.readline()  # what it watches
        watch.stdout.readline()  # its first run
        before, _, _ = sandbox.stats()
        cpu_before = cpu_seconds(watch.pid)
        lines = [watch.stdout.readline().strip() for _ in range(checks)]
        cpu_after = cpu_seconds(watch.pid)
        after, _, _ = sandbox.stats()
    finally:
        watch.terminate()
        watch.wait()
    return difference(after, before), (cpu_after - cpu_before) / checks, lines


def measure_both(title, sync, sandbox, data_dir, checks):
    requests, cpu, lines = measure(sync, sandbox, data_dir, checks)
    report(f'{title}, just after the first sync', requests, cpu, checks, lines)
    sandbox.control('clock?crm=900&giav=900')
    requests, cpu, lines = measure(sync, sandbox, data_dir, checks)
    report(f'{title}, 15 minutes later (the usual case)', requests, cpu, checks, lines)


def report(title, requests, cpu, checks, lines):
    # GIAV's SOAP is all POST: its writes are the operations that end so
    writes = sum(v for (service, method, resource), v in requests.items()
                 if (service != 'giav' and method != 'GET') or resource.endswith(('_PUT', '_POST')))
    total = sum(requests.values())
    print(f'\n{title}')
    print(f'  requests per idle check {total / checks:6.2f}  (writes in all: {writes})')
    for (service, method, resource), count in sorted(requests.items()):
        print(f'    {service:4} {method:6} {resource:30} {count / checks:6.2f}')
    print(f'  CPU per idle check      {cpu * 1000:6.1f} ms')
    if any(line.split(' ', 1)[-1] != lines[0].split(' ', 1)[-1] for line in lines):
        print(f'  (not every check was idle: {lines})')
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('build', nargs='?', default='_build')
    parser.add_argument('--clients', type=int, default=1000)
    parser.add_argument('--rows', type=int, default=1000)
    parser.add_argument('--checks', type=int, default=10)
    parser.add_argument('--latency-ms', type=int, default=20)
    options = parser.parse_args()
    sync = os.path.join(options.build, 'src', 'cli', 'puente-sync')
    print(f'puente-sync watch against puente-sandbox --latency-ms {options.latency_ms}: '
          f'{options.checks} idle checks each, one a second')

    sandbox = Sandbox(options.build, options.latency_ms)
    try:
        sandbox.generate(options.clients, 0)
        with tempfile.TemporaryDirectory() as data_dir:
            connect(sync, sandbox, data_dir)
            run(sync, data_dir, 'run', '--mode', 'full', '--json', env=sandbox.env)
            measure_both(f'GIAV, {options.clients} generated clients and the demo data', sync,
                         sandbox, data_dir, options.checks)
    finally:
        sandbox.stop()

    sandbox = Sandbox(options.build, options.latency_ms)
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            export = os.path.join(data_dir, 'export.csv')
            write_export(export, options.rows)
            run(sync, data_dir, 'connect', '--profile', 'gioweb', '--crm-url', sandbox.urls['crm'],
                '--source-file', export, stdin='crm=sandbox\n', env=sandbox.env)
            run(sync, data_dir, 'provision', env=sandbox.env)
            run(sync, data_dir, 'run', '--mode', 'full', '--json', env=sandbox.env)
            measure_both(f'An export (GIO Web CSV), {options.rows} rows', sync, sandbox, data_dir,
                         options.checks)
    finally:
        sandbox.stop()


if __name__ == '__main__':
    main()
