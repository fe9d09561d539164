#!/usr/bin/env python3
"""`personalize-workshop-cli prepare --source ml-latest-small` without
--input downloads the zip (here from a local HTTP server on 127.0.0.1, via
PW_MOVIELENS_BASE_URL), verifies its .md5, unpacks it into the cache, shows
progress on stderr, and the second run uses the cache (TAP)."""
import hashlib
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import zipfile

cli = sys.argv[1]
work = tempfile.mkdtemp()

buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w') as z:
    z.writestr('ml-latest-small/ratings.csv',
               'userId,movieId,rating,timestamp\n' +
               ''.join(f'{u},{i},{(u + i) % 5 + 1}.0,{964980000 + u * 100 + i}\n'
                       for u in range(1, 31) for i in range(1, 41) if (u * i) % 3))
    z.writestr('ml-latest-small/movies.csv',
               'movieId,title,genres\n' +
               ''.join(f'{i},"Film, number {i} (2001)",Comedy|Drama\n' for i in range(1, 41)))
data = buf.getvalue()
files = {'/ml/ml-latest-small.zip': data,
         '/ml/ml-latest-small.zip.md5': (hashlib.md5(data).hexdigest() + '  ml-latest-small.zip\n').encode()}
requests = []


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        requests.append(self.path)
        body = files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
env = dict(os.environ, PW_MOVIELENS_BASE_URL=f'http://127.0.0.1:{server.server_port}/ml',
           XDG_CACHE_HOME=os.path.join(work, 'cache'))

print('1..5')
n = 0
failed = False


def check(label, ok):
    global n, failed
    n += 1
    print(f'{"ok" if ok else "not ok"} {n} - {label}')
    failed |= not ok


r = subprocess.run([cli, 'prepare', '--source', 'ml-latest-small', '--out', os.path.join(work, 'out'), '--json'],
                   env=env, capture_output=True, text=True)
check('the first run downloads and succeeds', r.returncode == 0 and '/ml/ml-latest-small.zip' in requests)
counts = json.loads(r.stdout) if r.returncode == 0 else {}
check('every rating is read', counts.get('interactions') == sum(1 for u in range(1, 31) for i in range(1, 41) if (u * i) % 3))
check('progress on stderr', 'Downloading' in r.stderr and '100.0%' in r.stderr)
check('the cache holds the unpacked dataset',
      os.path.exists(os.path.join(work, 'cache', 'personalize-workshop', 'ml-latest-small', '.complete')))
before = len([p for p in requests if p.endswith('.zip')])
r = subprocess.run([cli, 'prepare', '--source', 'ml-latest-small', '--out', os.path.join(work, 'out2'), '--json', '-q'],
                   env=env, capture_output=True, text=True)
check('the second run uses the cache', r.returncode == 0 and len([p for p in requests if p.endswith('.zip')]) == before)
server.shutdown()
sys.exit(1 if failed else 0)
