#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: puente-sync against puente-sandbox with latency, printing figures (never
pass/fail). Run it inside a private session, as the tests are:

  tools/run-session bench/sync.py [--clients N] [--latency-ms MS] [BUILD_DIR]

Prints, for a first full sync of N GIAV clients (plus the double's files) and then a
`modified` run with nothing changed: wall time, requests by kind, the lower bound
(requests x latency / requests in flight), the ratio to it, CPU time and peak RSS of
puente-sync.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request

CRM_IN_FLIGHT = 6    # PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT
GIAV_IN_FLIGHT = 4   # PUENTE_GIAV_DEFAULT_IN_FLIGHT


def stats(base):
    with urllib.request.urlopen(base + '__sandbox/stats') as answer:
        rows = json.load(answer)['requests']
    counts = {}
    for row in rows:
        key = (row.get('service', 'crm'), row['method'], row['resource'])
        counts[key] = counts.get(key, 0) + row['count']
    return counts


def difference(after, before):
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0) > 0}


def children_usage():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def run(sync, data_dir, *args, stdin=None):
    command = [sync, '--data-dir', data_dir, *args]
    started = time.monotonic()
    cpu_before, _ = children_usage()
    result = subprocess.run(command, input=stdin, capture_output=True, text=True)
    wall = time.monotonic() - started
    cpu_after, peak_kib = children_usage()
    if result.returncode not in (0, 1):
        sys.exit(f'{" ".join(args)} failed ({result.returncode}): {result.stderr.strip()}')
    return wall, cpu_after - cpu_before, peak_kib


def report(title, wall, cpu, peak_kib, requests, latency_ms):
    crm = sum(v for (service, _, _), v in requests.items() if service == 'crm')
    giav = sum(v for (service, _, _), v in requests.items() if service == 'giav')
    writes = sum(v for (service, method, _), v in requests.items()
                 if service == 'crm' and method in ('POST', 'PUT', 'PATCH', 'DELETE'))
    bound = (crm * latency_ms / CRM_IN_FLIGHT + giav * latency_ms / GIAV_IN_FLIGHT) / 1000
    print(f'\n{title}')
    print(f'  wall time        {wall:8.2f} s')
    print(f'  lower bound      {bound:8.2f} s   (requests x {latency_ms} ms / in flight: '
          f'{CRM_IN_FLIGHT} CRM, {GIAV_IN_FLIGHT} GIAV)')
    if bound > 0:
        print(f'  ratio            {wall / bound:8.2f} x')
    print(f'  CPU time         {cpu:8.2f} s')
    print(f'  peak RSS         {peak_kib / 1024:8.1f} MiB (the largest puente-sync so far)')
    print(f'  requests         {crm} CRM ({writes} writes), {giav} GIAV')
    for (service, method, resource_name), count in sorted(requests.items()):
        print(f'    {service:4} {method:6} {resource_name:30} {count}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('build', nargs='?', default='_build')
    parser.add_argument('--clients', type=int, default=10000)
    parser.add_argument('--latency-ms', type=int, default=50)
    options = parser.parse_args()

    sandbox_path = os.path.join(options.build, 'src', 'sandbox', 'puente-sandbox')
    sync = os.path.join(options.build, 'src', 'cli', 'puente-sync')
    sandbox = subprocess.Popen([sandbox_path, '--port', '0', '--latency-ms', str(options.latency_ms)],
                               stdout=subprocess.PIPE, text=True)
    urls = {}
    while len(urls) < 2:
        line = sandbox.stdout.readline()
        if not line:
            sys.exit('puente-sandbox ended before printing its addresses')
        name, url = line.split()
        urls[name] = url
    base = urls['crm'][:-len('v1/')]

    try:
        request = urllib.request.Request(f'{base}__sandbox/giav/clients?count={options.clients}', method='POST')
        urllib.request.urlopen(request).read()

        with tempfile.TemporaryDirectory() as data_dir:
            run(sync, data_dir, 'connect', '--profile', 'giav', '--crm-url', urls['crm'],
                '--source-url', urls['giav'], stdin='crm=sandbox\nsource=sandbox\n')
            run(sync, data_dir, 'provision')

            print(f'puente-sync against puente-sandbox --latency-ms {options.latency_ms}: '
                  f'{options.clients} generated GIAV clients plus the demo data; '
                  f'{os.cpu_count()} cores')

            before = stats(base)
            wall, cpu, peak = run(sync, data_dir, 'run', '--mode', 'full', '--json')
            report('First full sync', wall, cpu, peak, difference(stats(base), before), options.latency_ms)

            before = stats(base)
            wall, cpu, peak = run(sync, data_dir, 'run', '--mode', 'modified', '--json')
            report('Modified run, nothing changed', wall, cpu, peak, difference(stats(base), before),
                   options.latency_ms)
    finally:
        sandbox.terminate()
        sandbox.wait()


if __name__ == '__main__':
    main()
