#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: puente-sync against puente-sandbox with latency, printing figures (never
pass/fail). Run it inside a private session, as the tests are:

  tools/run-session bench/sync.py [--clients N] [--files M] [--latency-ms MS] [--tls]
                                  [--naive-clients K] [--skip-naive] [BUILD_DIR]

The sandbox models the network: each request waits --latency-ms (its round trip), and the
first on a new connection waits 2 x --latency-ms more (the TCP and TLS handshakes), with or
without --tls. --tls serves HTTPS for real (the sandbox's certificate, trusted by puente-sync
through the test-only PUENTE_TEST_CA_FILE), so the CPU figures include the encryption.

With N generated GIAV clients and M generated files (expedientes, over those clients and
every stage) beside the demo data, it runs: a first full sync; a `modified` run with
nothing changed just after it (the watermarks' 10-minute overlap lists again every record the
first sync wrote in the CRM); the same 15 minutes later, the doubles' clocks moved with
POST /__sandbox/clock as bench/live.py does (the usual case, past the overlap); a `modified`
run after 1% of the clients were edited in GIAV. For each:
wall time, requests by kind (CRM by method and resource, GIAV by operation), the lower
bound (CRM requests x latency / CRM in flight + GIAV requests x latency / GIAV in flight),
the ratio to it, CPU time and peak RSS of that puente-sync process, the connections opened
and the handshakes paid, and, per 1,000 records (the generated clients and files plus the
demo data), the requests, connections, handshakes and CPU time.

Then the naive comparison, on a fresh sandbox and store: the first sync with one CRM
request in flight (sync.max-in-flight=1) and every unlinked record looked up on its own
(PUENTE_NAIVE_LOOKUPS=1) instead of reading the CRM once, against the same first sync as
shipped, at K clients (default 1,000, files scaled like M/N: the naive run takes about an
hour at 10,000 clients and 20,000 files). Prints the speed-up.

`--clients 100000 --files 0 --skip-naive` is the memory check at 100,000 clients; `--preview`
runs only the dry run of the first sync (every record read and planned, nothing written).
"""

import argparse
import json
import os
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

CRM_IN_FLIGHT = 6    # PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT
GIAV_IN_FLIGHT = 4   # PUENTE_GIAV_DEFAULT_IN_FLIGHT
CONTROL_MOST = 100000  # the most clients one /__sandbox/giav/clients call adds
DEMO_RECORDS = 50      # the sandbox's demo data: 20 clients, 30 files


class Sandbox:
    def __init__(self, build, latency_ms, tls=False):
        path = os.path.join(build, 'src', 'sandbox', 'puente-sandbox')
        self.process = subprocess.Popen([path, '--port', '0', '--latency-ms', str(latency_ms),
                                         *(['--tls'] if tls else [])],
                                        stdout=subprocess.PIPE, text=True)
        self.urls = {}
        while 'crm' not in self.urls or 'giav' not in self.urls:
            line = self.process.stdout.readline()
            if not line:
                sys.exit('puente-sandbox ended before printing its addresses')
            name, url = line.split()
            self.urls[name] = url
        self.base = self.urls['crm'][:-len('v1/')]
        # --tls: its certificate ("ca FILE"), trusted here and by puente-sync, nowhere else
        self.ca_file = self.urls.get('ca')
        self.context = ssl.create_default_context(cafile=self.ca_file) if self.ca_file else None
        self.env = {'PUENTE_TEST_CA_FILE': self.ca_file} if self.ca_file else {}

    def open(self, request):
        return urllib.request.urlopen(request, context=self.context)

    def control(self, path):
        request = urllib.request.Request(f'{self.base}__sandbox/{path}', method='POST')
        with self.open(request) as answer:
            return json.load(answer)

    def generate(self, clients, files):
        while clients > 0:
            self.control(f'giav/clients?count={min(clients, CONTROL_MOST)}')
            clients -= min(clients, CONTROL_MOST)
        if files > 0:
            self.control(f'giav/files?count={files}')

    def stats(self):
        """Requests by (service, method, resource); the connections they came on and the
        handshakes paid."""
        with self.open(self.base + '__sandbox/stats') as answer:
            stats = json.load(answer)
        counts = {}
        for row in stats['requests']:
            key = (row.get('service', 'crm'), row['method'], row['resource'])
            counts[key] = counts.get(key, 0) + row['count']
        return counts, stats.get('connections', 0), stats.get('handshakes', 0)

    def stop(self):
        self.process.terminate()
        self.process.wait()


def difference(after, before):
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0) > 0}


def run(sync, data_dir, *args, stdin=None, env=None):
    """Runs puente-sync; returns its wall time, CPU time and peak RSS (KiB), its own."""
    command = [sync, '--data-dir', data_dir, *args]
    with tempfile.TemporaryFile('w+') as out, tempfile.TemporaryFile('w+') as err:
        started = time.monotonic()
        process = subprocess.Popen(command, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                   stdout=out, stderr=err, text=True,
                                   env={**os.environ, **(env or {})})
        if stdin:
            process.stdin.write(stdin)
            process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            err.seek(0)
            sys.exit(f'{" ".join(args)} failed ({process.returncode}): {err.read().strip()}')
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def connect(sync, sandbox, data_dir, in_flight=None):
    run(sync, data_dir, 'connect', '--profile', 'giav', '--crm-url', sandbox.urls['crm'],
        '--source-url', sandbox.urls['giav'], stdin='crm=sandbox\nsource=sandbox\n',
        env=sandbox.env)
    run(sync, data_dir, 'provision', env=sandbox.env)
    if in_flight is not None:
        with sqlite3.connect(os.path.join(data_dir, 'puente.db')) as db:
            db.execute('INSERT OR REPLACE INTO connection_settings (connection, key, value) '
                       "VALUES ('default', 'sync.max-in-flight', ?)", (str(in_flight),))


def timed(sync, sandbox, data_dir, *args, env=None, records=0):
    before, connections_before, handshakes_before = sandbox.stats()
    wall, cpu, peak = run(sync, data_dir, *args, env={**sandbox.env, **(env or {})})
    after, connections_after, handshakes_after = sandbox.stats()
    return {'wall': wall, 'cpu': cpu, 'peak': peak, 'requests': difference(after, before),
            'connections': connections_after - connections_before,
            'handshakes': handshakes_after - handshakes_before, 'records': records}


def report(title, figures, latency_ms, crm_in_flight=CRM_IN_FLIGHT):
    requests = figures['requests']
    crm = sum(v for (service, _, _), v in requests.items() if service == 'crm')
    giav = sum(v for (service, _, _), v in requests.items() if service == 'giav')
    writes = sum(v for (service, method, _), v in requests.items()
                 if service == 'crm' and method in ('POST', 'PUT', 'PATCH', 'DELETE'))
    # Each service's connections are set up in parallel: one setup (2 round trips) at least
    setups = 2 * latency_ms * ((crm > 0) + (giav > 0))
    bound = (crm * latency_ms / crm_in_flight + giav * latency_ms / GIAV_IN_FLIGHT + setups) / 1000
    print(f'\n{title}')
    print(f'  wall time        {figures["wall"]:8.2f} s')
    print(f'  lower bound      {bound:8.2f} s   (requests x {latency_ms} ms / in flight: '
          f'{crm_in_flight} CRM, {GIAV_IN_FLIGHT} GIAV; one connection setup each)')
    if bound > 0:
        print(f'  ratio            {figures["wall"] / bound:8.2f} x')
    print(f'  CPU time         {figures["cpu"]:8.2f} s')
    print(f'  peak RSS         {figures["peak"] / 1024:8.1f} MiB')
    print(f'  requests         {crm} CRM ({writes} writes), {giav} GIAV, '
          f'on {figures["connections"]} connections, {figures["handshakes"]} of them new '
          f'(a handshake each)')
    if figures['records'] > 0:
        per = 1000 / figures['records']
        print(f'  per 1,000 records {(crm + giav) * per:7.1f} requests, '
              f'{figures["connections"] * per:.1f} connections, '
              f'{figures["handshakes"] * per:.1f} handshakes, '
              f'{figures["cpu"] * per:.3f} s CPU')
    for (service, method, resource_name), count in sorted(requests.items()):
        print(f'    {service:4} {method:6} {resource_name:30} {count}')
    sys.stdout.flush()


def first_sync(options, sync, clients, files, naive):
    """A first full sync on a fresh sandbox and store."""
    sandbox = Sandbox(options.build, options.latency_ms, options.tls)
    try:
        sandbox.generate(clients, files)
        with tempfile.TemporaryDirectory() as data_dir:
            connect(sync, sandbox, data_dir, in_flight=1 if naive else None)
            return timed(sync, sandbox, data_dir, 'run', '--mode', 'full', '--json',
                         records=clients + files + DEMO_RECORDS,
                         env={'PUENTE_NAIVE_LOOKUPS': '1'} if naive else None)
    finally:
        sandbox.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('build', nargs='?', default='_build')
    parser.add_argument('--clients', type=int, default=10000)
    parser.add_argument('--files', type=int, default=20000)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--naive-clients', type=int, default=1000,
                        help='clients of the naive comparison (files scaled like --files)')
    parser.add_argument('--tls', action='store_true',
                        help='serve HTTPS for real (the connection cost is modelled either way)')
    parser.add_argument('--skip-naive', action='store_true')
    parser.add_argument('--preview', action='store_true',
                        help='only a preview (the dry run of a first sync)')
    options = parser.parse_args()

    sync = os.path.join(options.build, 'src', 'cli', 'puente-sync')
    changed = max(1, options.clients // 100)
    records = options.clients + options.files + DEMO_RECORDS
    model = ''
    with open('/proc/cpuinfo') as cpuinfo:
        model = next((line.split(':', 1)[1].strip() for line in cpuinfo if line.startswith('model name')), '?')
    print(f'puente-sync against puente-sandbox --latency-ms {options.latency_ms}'
          f'{" --tls" if options.tls else ""} (a new connection waits 2 x latency more): '
          f'{options.clients} generated GIAV clients and {options.files} generated files, plus '
          f'the demo data (20 clients, 30 files); {os.cpu_count()} cores ({model})')

    if options.preview:
        sandbox = Sandbox(options.build, options.latency_ms, options.tls)
        try:
            sandbox.generate(options.clients, options.files)
            with tempfile.TemporaryDirectory() as data_dir:
                connect(sync, sandbox, data_dir)
                report('Preview of the first full sync (a dry run: every record read and planned, '
                       'nothing written)',
                       timed(sync, sandbox, data_dir, 'preview', '--json', records=records), options.latency_ms)
        finally:
            sandbox.stop()
        return

    sandbox = Sandbox(options.build, options.latency_ms, options.tls)
    try:
        sandbox.generate(options.clients, options.files)
        with tempfile.TemporaryDirectory() as data_dir:
            connect(sync, sandbox, data_dir)
            shipped = timed(sync, sandbox, data_dir, 'run', '--mode', 'full', '--json',
                            records=records)
            report('First full sync', shipped, options.latency_ms)
            report('Modified run, nothing changed, just after the first sync (the watermarks\' '
                   '10-minute overlap lists again every record the first sync wrote)',
                   timed(sync, sandbox, data_dir, 'run', '--mode', 'modified', '--json',
                         records=records),
                   options.latency_ms)
            # The usual case, as bench/live.py measures it: the doubles' clocks 15 minutes
            # later, past the overlap. The run after the move still reads from the watermark
            # taken before it (not reported); the one after that is the usual case.
            sandbox.control('clock?crm=900&giav=900')
            run(sync, data_dir, 'run', '--mode', 'modified', '--json', env=sandbox.env)
            report('Modified run, nothing changed, 15 minutes later (the usual case: past the '
                   'overlap)',
                   timed(sync, sandbox, data_dir, 'run', '--mode', 'modified', '--json',
                         records=records),
                   options.latency_ms)
            sandbox.control(f'giav/clients/touch?count={changed}')
            report(f'Modified run, {changed} clients (1%) changed in GIAV',
                   timed(sync, sandbox, data_dir, 'run', '--mode', 'modified', '--json',
                         records=records),
                   options.latency_ms)
    finally:
        sandbox.stop()

    if options.skip_naive:
        return

    clients = options.naive_clients
    files = options.files * clients // options.clients if options.clients else 0
    if clients != options.clients or files != options.files:
        print(f'\nThe naive comparison runs at {clients} clients and {files} files, not at the '
              f'size above: one request at a time makes it too long there.')
        shipped = first_sync(options, sync, clients, files, naive=False)
        report(f'First full sync as shipped, {clients} clients and {files} files', shipped,
               options.latency_ms)
    naive = first_sync(options, sync, clients, files, naive=True)
    report(f'First full sync, naive: 1 request in flight, a lookup per record '
           f'({clients} clients, {files} files)', naive, options.latency_ms, crm_in_flight=1)
    print(f'\nSpeed-up of the shipped first sync over the naive one: '
          f'{naive["wall"] / shipped["wall"]:.1f} x')


if __name__ == '__main__':
    main()
