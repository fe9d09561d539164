#!/usr/bin/python3
"""personalize-local's HTTP edge, with real clients and raw sockets.

- Presigned URLs: boto3's generate_presigned_url (SigV4 and the SigV2 form
  botocore makes by default) and `aws s3 presign`, fetched with urllib on
  loopback; an expired and a tampered URL get S3's AccessDenied /
  SignatureDoesNotMatch, X-Amz-Expires outside 1..604800 is refused.
- A lying Content-Length (10^12, or -1) with no body is answered at once.
- Paths libsoup would refuse with an empty 400 (encoded `..`, `%00`) get an
  S3-shaped XML error.
- Keys of dots round-trip with boto3 (put, head, get, list, delete), the
  dot segments `..`, `../`, `../x`, `.`, `./a`, `a/../b` included (the
  request reader keeps the path as sent), stored as one escaped file each
  inside the bucket, nothing outside the data directory.
- What libsoup answered with an empty 400 or a reset (garbage bytes, an
  HTTP/0.9 request line, a bad escape, a 70 KB header) gets an AWS-shaped
  error; two pipelined requests (one with a chunked body) both get their
  answers; the server goes on serving.
- 200 back-to-back connects are all accepted without a SYN retry (the
  listen backlog is the system's maximum).
- Multipart uploads with boto3's low-level calls: parts out of order or
  missing are refused and the upload stays; a completed upload is the parts
  joined with S3's multipart ETag; an aborted or completed upload, or one
  named with another key, is NoSuchUpload; ListParts is NotImplemented; no
  upload folder is left behind.

TAP output. Usage: test-local-http.py PERSONALIZE_LOCAL_BINARY
"""
import datetime
import io
import os
import re
import select
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from botocore.exceptions import ClientError

from pw_local_test import check, clients, done, session, start_server


def start(binary, data):
    return start_server(binary, data)


def s3_client(endpoint, data, **config):
    return clients(session(data), endpoint, ["s3"], **config)["s3"]


def fetch(url, method="GET", body=None, headers=None):
    """(status, body) of a plain HTTP request, no AWS code involved."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def xml_code(body):
    m = re.search(rb"<Code>([^<]*)</Code>", body)
    return m.group(1).decode() if m else None


def xml_message(body):
    m = re.search(rb"<Message>([^<]*)</Message>", body)
    return m.group(1).decode() if m else None


def raw_exchange(port, data, timeout=5.0):
    """Sends DATA on a fresh connection; returns (seconds until the answer
    was complete or the peer closed, status, headers text, body)."""
    s = socket.create_connection(("127.0.0.1", port))
    start_time = time.monotonic()
    s.sendall(data)
    got = b""
    s.settimeout(timeout)
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
            head, sep, body = got.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                if m and len(body) >= int(m.group(1)):
                    break
    except socket.timeout:
        pass
    except ConnectionResetError:
        pass
    elapsed = time.monotonic() - start_time
    s.close()
    head, _, body = got.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d+)", head)
    return elapsed, int(m.group(1)) if m else None, head.decode("latin-1"), body


def test_presigned(endpoint, data, s3v4, s3v2):
    s3v4.create_bucket(Bucket="presign")
    s3v4.put_object(Bucket="presign", Key="folder/hello world.txt", Body=b"hello presigned")

    # SigV4 (X-Amz-* parameters).
    url = s3v4.generate_presigned_url("get_object", Params={"Bucket": "presign", "Key": "folder/hello world.txt"},
                                      ExpiresIn=300)
    check("X-Amz-Signature=" in url and "X-Amz-Expires=300" in url, "boto3 made a SigV4 presigned URL")
    status, body = fetch(url)
    check(status == 200 and body == b"hello presigned", "a SigV4 presigned GET serves the object (%s)" % status)
    status, body = fetch(url, method="HEAD")
    check(status == 403, "a presigned GET URL used for HEAD is refused (the method is signed): %s" % status)

    put_url = s3v4.generate_presigned_url("put_object", Params={"Bucket": "presign", "Key": "up/loaded.bin"},
                                          ExpiresIn=60)
    status, body = fetch(put_url, method="PUT", body=b"\x00\x01uploaded through a presigned URL")
    check(status == 200, "a SigV4 presigned PUT stores the object (%s %s)" % (status, body[:200]))
    got = s3v4.get_object(Bucket="presign", Key="up/loaded.bin")["Body"].read()
    check(got == b"\x00\x01uploaded through a presigned URL", "the presigned PUT's bytes are the object")

    # Tampered: another key with the same signature.
    tampered = url.replace("hello%20world.txt", "hello%20world.tx")
    status, body = fetch(tampered)
    check(status == 403 and xml_code(body) == "SignatureDoesNotMatch",
          "a tampered SigV4 URL is 403 SignatureDoesNotMatch (%s %s)" % (status, xml_code(body)))
    tampered = re.sub(r"X-Amz-Signature=([0-9a-f])", lambda m: "X-Amz-Signature=" + ("0" if m.group(1) != "0" else "1"),
                      url)
    status, body = fetch(tampered)
    check(status == 403 and xml_code(body) == "SignatureDoesNotMatch",
          "a SigV4 URL with a changed signature is 403 SignatureDoesNotMatch")

    # Expired: signed two hours ago for one hour (botocore signs with its
    # clock, so sign with a fixed old X-Amz-Date by hand through botocore's
    # own signer).
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    creds = s3v4._request_signer._credentials
    req = botocore.awsrequest.AWSRequest(method="GET", url=endpoint + "/presign/folder/hello%20world.txt")
    signer = botocore.auth.S3SigV4QueryAuth(creds, "s3", "us-east-1", expires=3600)
    old = datetime.datetime.utcnow() - datetime.timedelta(hours=2)
    real_datetime = botocore.auth.datetime.datetime

    class Frozen(real_datetime):
        @classmethod
        def utcnow(cls):
            return old
    botocore.auth.datetime.datetime = Frozen
    try:
        signer.add_auth(req)
    finally:
        botocore.auth.datetime.datetime = real_datetime
    expired = req.prepare().url
    check("X-Amz-Expires=3600" in expired and old.strftime("%Y%m%dT%H") in expired,
          "botocore signed a URL two hours ago, valid one hour")
    status, body = fetch(expired)
    check(status == 403 and xml_code(body) == "AccessDenied" and xml_message(body) == "Request has expired",
          "an expired SigV4 URL is 403 AccessDenied \"Request has expired\" (%s %s %s)"
          % (status, xml_code(body), xml_message(body)))

    # X-Amz-Expires bounds: botocore refuses nothing, so ask for a week + 1.
    too_long = s3v4.generate_presigned_url("get_object", Params={"Bucket": "presign", "Key": "folder/hello world.txt"},
                                           ExpiresIn=604801)
    status, body = fetch(too_long)
    check(status == 400 and xml_code(body) == "AuthorizationQueryParametersError"
          and "604800" in (xml_message(body) or ""),
          "X-Amz-Expires=604801 is 400 AuthorizationQueryParametersError (%s %s)" % (status, xml_code(body)))
    week = s3v4.generate_presigned_url("get_object", Params={"Bucket": "presign", "Key": "folder/hello world.txt"},
                                       ExpiresIn=604800)
    status, body = fetch(week)
    check(status == 200 and body == b"hello presigned", "X-Amz-Expires=604800 (a week) is accepted")
    zero = re.sub(r"X-Amz-Expires=\d+", "X-Amz-Expires=0", url)
    status, body = fetch(zero)
    check(status == 400 and xml_code(body) == "AuthorizationQueryParametersError",
          "X-Amz-Expires=0 is 400 AuthorizationQueryParametersError")
    for bad in ("-1", "1e9", "99999999999999999999999", "abc"):
        status, body = fetch(re.sub(r"X-Amz-Expires=\d+", "X-Amz-Expires=" + bad, url))
        check(status == 400 and xml_code(body) == "AuthorizationQueryParametersError",
              "X-Amz-Expires=%s is 400 AuthorizationQueryParametersError (%s)" % (bad, status))
    missing = re.sub(r"&?X-Amz-Credential=[^&]*", "", url)
    status, body = fetch(missing)
    check(status == 400 and xml_code(body) == "AuthorizationQueryParametersError",
          "a SigV4 URL without X-Amz-Credential is 400 AuthorizationQueryParametersError")

    # SigV2, botocore's default for S3 presigning.
    url2 = s3v2.generate_presigned_url("get_object", Params={"Bucket": "presign", "Key": "folder/hello world.txt"},
                                       ExpiresIn=300)
    check("AWSAccessKeyId=" in url2 and "Signature=" in url2, "boto3's default presigned URL is the SigV2 form")
    status, body = fetch(url2)
    check(status == 200 and body == b"hello presigned", "a SigV2 presigned GET serves the object (%s)" % status)
    status, body = fetch(url2.replace("hello%20world.txt", "hello%20world.tx"))
    check(status == 403 and xml_code(body) == "SignatureDoesNotMatch",
          "a tampered SigV2 URL is 403 SignatureDoesNotMatch")
    expired2 = re.sub(r"Expires=\d+", "Expires=%d" % (time.time() - 10), url2)
    status, body = fetch(expired2)
    check(status == 403 and xml_code(body) == "AccessDenied" and xml_message(body) == "Request has expired",
          "an expired SigV2 URL is 403 AccessDenied \"Request has expired\"")
    # (SigV2 signs Content-Type, and urllib sends one with every body.)
    put2 = s3v2.generate_presigned_url("put_object", ExpiresIn=60,
                                       Params={"Bucket": "presign", "Key": "up/v2.txt", "ContentType": "text/plain"})
    status, body = fetch(put2, method="PUT", body=b"sigv2 upload", headers={"Content-Type": "text/plain"})
    check(status == 200 and s3v4.get_object(Bucket="presign", Key="up/v2.txt")["Body"].read() == b"sigv2 upload",
          "a SigV2 presigned PUT stores the object")

    # The AWS CLI.
    env = dict(os.environ)
    for args, what in (([], "aws s3 presign"), (["--region", "us-east-1"], "aws s3 presign --region")):
        out = subprocess.run(["aws", "s3", "presign", "s3://presign/folder/hello world.txt", "--expires-in", "120",
                              "--endpoint-url", endpoint] + args, env=env, capture_output=True, text=True)
        status, body = fetch(out.stdout.strip()) if out.returncode == 0 else (None, b"")
        check(status == 200 and body == b"hello presigned", "%s makes a URL that works (%s)" % (what, status))
    env["AWS_CONFIG_FILE"] = os.path.join(data, "config-s3v4")
    with open(env["AWS_CONFIG_FILE"], "w") as f:
        f.write("[default]\nregion = us-east-1\ns3 =\n    signature_version = s3v4\n")
    out = subprocess.run(["aws", "s3", "presign", "s3://presign/folder/hello world.txt", "--expires-in", "120",
                          "--endpoint-url", endpoint], env=env, capture_output=True, text=True)
    cli_url = out.stdout.strip()
    status, body = fetch(cli_url) if out.returncode == 0 else (None, b"")
    check("X-Amz-Signature=" in cli_url and status == 200 and body == b"hello presigned",
          "aws s3 presign with signature_version = s3v4 makes a SigV4 URL that works (%s)" % status)

    # A URL with both a signature in the query and an Authorization header.
    req = urllib.request.Request(url, headers={"Authorization": "AWS4-HMAC-SHA256 Credential=x"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    check(status == 400 and xml_code(body) == "InvalidArgument",
          "query signature plus Authorization header is 400 InvalidArgument")


def test_lying_length(port):
    for length, statuses in (("1000000000000", (400, 413)), ("-1", (400,)), ("99999999999999999999999", (400,))):
        for path, kind in (("/", "personalize"), ("/bucket/key", "s3")):
            headers = "Host: 127.0.0.1:%d\r\nContent-Length: %s\r\n" % (port, length)
            if kind == "personalize":
                headers += "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AmazonPersonalize.ListRecipes\r\n"
            else:
                headers += ("Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, "
                            "SignedHeaders=host, Signature=" + "0" * 64 + "\r\n")
            elapsed, status, head, body = raw_exchange(port, ("PUT %s HTTP/1.1\r\n%s\r\n" % (path, headers)).encode(),
                                                       timeout=10)
            shaped = (xml_code(body) is not None) if kind == "s3" else (b'"__type"' in body or b'"message"' in body)
            check(status in statuses and elapsed < 3 and shaped,
                  "Content-Length: %s with no body (%s) is answered at once: %s in %.1f s, %s"
                  % (length, kind, status, elapsed, body[:120]))


def test_bad_paths(port):
    auth = ("Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, "
            "SignedHeaders=host, Signature=" + "0" * 64 + "\r\n")
    # (libsoup refused the encoded-slash forms and %00 with an empty 400;
    # a bad escape such as %zz is in test_edge_answers.)
    for path in ("/bucket/%2e%2e/x", "/bucket/%2E%2E", "/bucket/a%00b", "/%2e%2e/%2e%2e/etc/passwd",
                 "/bucket/..%2Fx", "/bucket/%2e%2e%2f%2e%2e%2fetc", "/bucket/x%2F..%2F..%2Fy", "/bucket/..%2F"):
        elapsed, status, head, body = raw_exchange(port, ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n"
                                                          % (path, port, auth)).encode())
        check(status is not None and 400 <= status < 500 and xml_code(body) is not None
              and "x-amz-request-id" in head.lower(),
              "GET %s gets an S3-shaped error (%s %s)" % (path, status, xml_code(body)))


def test_edge_answers(port, s3):
    """What libsoup 3.2 answered with an empty 400 before our code ran, or
    with a reset (README, "At the HTTP edge"): the request reader sees the
    head first and answers with S3's XML error and a request id, then
    closes; the server goes on serving."""
    for raw, what, code in ((b"\x00\x01\x02garbage\r\n\r\n", "garbage bytes", "InvalidRequest"),
                            (b"GET /\r\n\r\n", "an HTTP/0.9 line", "InvalidRequest"),
                            (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/2.0 in an HTTP/1 line",
                             "HttpVersionNotSupported"),
                            (("GET /bucket/%%zz HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port).encode(),
                             "a bad escape", "InvalidURI")):
        elapsed, status, head, body = raw_exchange(port, raw)
        check(status is not None and 400 <= status < 600 and xml_code(body) == code
              and "x-amz-request-id" in head.lower() and elapsed < 3,
              "%s: S3's XML error %s at once (%s %s, %.1f s)" % (what, code, status, xml_code(body), elapsed))
    big = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Big: %s\r\n\r\n" % (port, "a" * 70000)).encode()
    elapsed, status, head, body = raw_exchange(port, big)
    check(status == 400 and xml_code(body) == "RequestHeaderSectionTooLarge" and elapsed < 3,
          "a 70 KB header: 400 RequestHeaderSectionTooLarge at once (%s %s, %.1f s)"
          % (status, xml_code(body), elapsed))
    check(s3.list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200, "the server goes on serving")


def read_answers(sock, count, timeout=5.0):
    """COUNT HTTP answers (status, body) read from SOCK."""
    sock.settimeout(timeout)
    got = b""
    answers = []
    try:
        while len(answers) < count:
            head, sep, rest = got.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                length = int(m.group(1)) if m else 0
                if len(rest) >= length:
                    status = int(re.match(rb"HTTP/1\.[01] (\d+)", head).group(1))
                    answers.append((status, rest[:length]))
                    got = rest[length:]
                    continue
            chunk = sock.recv(65536)
            if not chunk:
                break
            got += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return answers


def test_pipelining(port, s3):
    """Two requests in one send, the first with a chunked body: both are
    answered, in order (each with S3's error for its unsigned request: the
    point is the framing). Then a pipelined request followed by garbage:
    the request is answered first, then the garbage gets its XML error.
    Then a normal request works."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(("PUT /pipe-bucket/chunked HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nTransfer-Encoding: chunked\r\n\r\n"
               "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
               "GET /pipe-bucket/../x?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (port, port)).encode())
    answers = read_answers(s, 2)
    s.close()
    check(len(answers) == 2 and all(400 <= st < 500 and xml_code(b) is not None for st, b in answers),
          "two pipelined requests (one chunked) get two S3 answers: %s"
          % [(st, xml_code(b)) for st, b in answers])
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(("GET /pipe-bucket/a HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n\x00\x01garbage\r\n\r\n" % port).encode())
    answers = read_answers(s, 2)
    s.close()
    check(len(answers) == 2 and answers[0][0] == 403 and xml_code(answers[1][1]) == "InvalidRequest",
          "a request then garbage in one send: the request's answer, then the garbage's XML error: %s"
          % [(st, xml_code(b)) for st, b in answers])
    check(s3.list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200, "then a normal request works")


def test_dot_keys(s3, data):
    """Keys made of dots, the whole `.` / `..` path segments included (S3
    does no path normalisation: the key is the path as sent and signed).
    Each round-trips: put, head, get, list, delete; on disk each is one
    escaped file in the bucket's folder, and nothing is written beside the
    data directory."""
    s3.create_bucket(Bucket="dots")
    keys = ["...", "..a", "a..", ".hidden", "a/..b/c", "%2e%2e", "..%2F",
            "..", "../", "../x", ".", "./a", "a/../b", "../../../../etc/passwd"]
    for k in keys:
        body = ("body of %r" % k).encode()
        try:
            s3.put_object(Bucket="dots", Key=k, Body=body)
            size = s3.head_object(Bucket="dots", Key=k)["ContentLength"]
            ok = size == len(body) and s3.get_object(Bucket="dots", Key=k)["Body"].read() == body
        except ClientError as e:
            ok = False
            print("# %r: %s" % (k, e))
        check(ok, "key %r: put, head and get give the same bytes" % k)
    # A large body: botocore sends Expect: 100-continue, and the upload
    # streams to a file after its signature was checked on the raw path.
    big = os.urandom(3 * 1024 * 1024)
    try:
        s3.put_object(Bucket="dots", Key="../big", Body=io.BytesIO(big))  # file-like: Expect
        ok = s3.get_object(Bucket="dots", Key="../big")["Body"].read() == big
    except ClientError as e:
        ok = False
        print("# ../big: %s" % e)
    check(ok, "key '../big' (3 MiB, Expect: 100-continue): put then get gives the same bytes")
    keys.append("../big")
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket="dots").get("Contents", [])]
    check(sorted(listed) == sorted(keys), "list_objects_v2 lists the keys exactly as written: %s" % listed)
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket="dots", Prefix="../").get("Contents", [])]
    check(sorted(listed) == ["../", "../../../../etc/passwd", "../big", "../x"],
          "a list with the prefix '../': %s" % listed)
    objects = []
    for root, dirs, files in os.walk(data):
        if os.path.basename(root) == "objects" and os.path.basename(os.path.dirname(root)) == "dots":
            objects += files
    check(len(objects) == len(keys) and all("/" not in f and f not in (".", "..") for f in objects),
          "every key is one escaped file in the bucket's objects folder (%d files)" % len(objects))
    for k in keys:
        try:
            s3.delete_object(Bucket="dots", Key=k)
            try:
                s3.head_object(Bucket="dots", Key=k)
                gone = False
            except ClientError as e:
                gone = e.response["Error"]["Code"] in ("404", "NoSuchKey")
        except ClientError as e:
            gone = False
            print("# delete %r: %s" % (k, e))
        check(gone, "key %r: deleted, then head finds nothing" % k)
    check(s3.list_objects_v2(Bucket="dots").get("KeyCount") == 0, "the bucket is empty after the deletes")
    parent = os.path.dirname(data)
    check(sorted(os.listdir(parent)) == sorted([os.path.basename(data), os.path.basename(data) + ".log"]),
          "nothing was written beside the data directory: %s" % os.listdir(parent))


def test_backlog(port, count=200):
    """COUNT non-blocking connects at once; a connect that needed a SYN
    retry (the accept queue was full) took about a second."""
    socks = []
    started = {}
    done = {}
    for i in range(count):
        s = socket.socket()
        s.setblocking(False)
        started[s] = time.monotonic()
        try:
            s.connect(("127.0.0.1", port))
            done[s] = time.monotonic()
        except BlockingIOError:
            pass
        socks.append(s)
    deadline = time.monotonic() + 10
    while len(done) < count and time.monotonic() < deadline:
        pending = [s for s in socks if s not in done]
        _, writable, _ = select.select([], pending, [], 0.05)
        for s in writable:
            done[s] = time.monotonic()
    # A SYN retry shows in the socket's own retransmission count (struct
    # tcp_info's tcpi_total_retrans, bytes 100..103), whatever the load on
    # the machine; the time it took is only reported.
    def syn_retries(s):
        info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        return struct.unpack_from("I", info, 100)[0] if len(info) >= 104 else 0
    retried = sum(1 for s in socks if s in done and syn_retries(s) > 0)
    lost = count - len(done)
    # Every connection gets an answer.
    answered = 0
    for s in socks:
        try:
            s.setblocking(True)
            s.settimeout(10)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            if s.recv(64).startswith(b"HTTP/1.1 "):
                answered += 1
        except OSError:
            pass
        s.close()
    slow = sorted(done[s] - started[s] for s in socks if s in done)[-3:]
    check(retried == 0 and lost == 0,
          "%d back-to-back connects: none needed a SYN retry (%d did, %d never connected; slowest %s s)"
          % (count, retried, lost, ", ".join("%.3f" % x for x in slow)))
    check(answered == count, "all %d connections were answered (%d)" % (count, answered))


def client_code(fn, **kwargs):
    """The S3 error code of a boto3 call, or None when it succeeds."""
    try:
        fn(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


def test_multipart(s3, data):
    import hashlib
    s3.create_bucket(Bucket="parts")
    one, two = b"a" * 1000 + b"\n", b"second part"
    up = s3.create_multipart_upload(Bucket="parts", Key="dir/joined.bin")["UploadId"]
    check(re.fullmatch(r"[0-9a-f]{32}", up) is not None, "CreateMultipartUpload gives a 32-hex-digit upload id")
    e1 = s3.upload_part(Bucket="parts", Key="dir/joined.bin", UploadId=up, PartNumber=1, Body=one)["ETag"]
    e2 = s3.upload_part(Bucket="parts", Key="dir/joined.bin", UploadId=up, PartNumber=2, Body=two)["ETag"]
    check(e1 == '"%s"' % hashlib.md5(one).hexdigest() and e2 == '"%s"' % hashlib.md5(two).hexdigest(),
          "UploadPart answers each part's MD5 as its ETag")
    check(client_code(s3.list_parts, Bucket="parts", Key="dir/joined.bin", UploadId=up) == "NotImplemented",
          "ListParts is NotImplemented")
    check(client_code(s3.upload_part, Bucket="parts", Key="other.bin", UploadId=up, PartNumber=1,
                      Body=b"x") == "NoSuchUpload", "an upload id used with another key is NoSuchUpload")
    parts = [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]
    check(client_code(s3.complete_multipart_upload, Bucket="parts", Key="dir/joined.bin", UploadId=up,
                      MultipartUpload={"Parts": parts[::-1]}) == "InvalidPartOrder",
          "CompleteMultipartUpload with the parts out of order: InvalidPartOrder")
    check(client_code(s3.complete_multipart_upload, Bucket="parts", Key="dir/joined.bin", UploadId=up,
                      MultipartUpload={"Parts": parts + [{"PartNumber": 3, "ETag": e2}]}) == "InvalidPart",
          "CompleteMultipartUpload naming a part never uploaded: InvalidPart")
    check(client_code(s3.head_object, Bucket="parts", Key="dir/joined.bin") == "404",
          "a refused Complete makes no object")
    done = s3.complete_multipart_upload(Bucket="parts", Key="dir/joined.bin", UploadId=up,
                                        MultipartUpload={"Parts": parts})
    want = hashlib.md5(hashlib.md5(one).digest() + hashlib.md5(two).digest()).hexdigest() + "-2"
    check(done["ETag"] == '"%s"' % want, "the completed object has S3's multipart ETag (%s)" % done["ETag"])
    check(s3.get_object(Bucket="parts", Key="dir/joined.bin")["Body"].read() == one + two,
          "the completed object is the parts joined in order")
    check(client_code(s3.upload_part, Bucket="parts", Key="dir/joined.bin", UploadId=up, PartNumber=3,
                      Body=b"late") == "NoSuchUpload", "a completed upload is gone: NoSuchUpload")
    up2 = s3.create_multipart_upload(Bucket="parts", Key="aborted.bin")["UploadId"]
    s3.upload_part(Bucket="parts", Key="aborted.bin", UploadId=up2, PartNumber=1, Body=b"never")
    aborted = s3.abort_multipart_upload(Bucket="parts", Key="aborted.bin", UploadId=up2)
    check(aborted["ResponseMetadata"]["HTTPStatusCode"] == 204, "AbortMultipartUpload answers 204")
    check(client_code(s3.abort_multipart_upload, Bucket="parts", Key="aborted.bin", UploadId=up2) == "NoSuchUpload",
          "aborting it again: NoSuchUpload")
    check(client_code(s3.head_object, Bucket="parts", Key="aborted.bin") == "404", "an aborted upload makes no object")
    check(client_code(s3.abort_multipart_upload, Bucket="parts", Key="aborted.bin",
                      UploadId="../../../etc") == "NoSuchUpload", "an upload id that is not 32 hex digits: NoSuchUpload")
    check(os.listdir(os.path.join(data, "s3", ".uploads")) == [], "no upload folder is left behind")


def main():
    binary = sys.argv[1]
    only = sys.argv[2:]
    tmp = tempfile.mkdtemp(prefix="pw-local-http-")
    data = os.path.join(tmp, "data")
    proc = None
    try:
        proc, endpoint = start(binary, data)
        port = int(endpoint.rsplit(":", 1)[1])
        s3v4 = s3_client(endpoint, data, signature_version="s3v4")
        s3v2 = s3_client(endpoint, data)
        tests = [
            ("backlog", lambda: test_backlog(port)),
            ("presigned", lambda: test_presigned(endpoint, data, s3v4, s3v2)),
            ("lying-length", lambda: test_lying_length(port)),
            ("bad-paths", lambda: test_bad_paths(port)),
            ("dot-keys", lambda: test_dot_keys(s3v4, data)),
            ("edge-answers", lambda: test_edge_answers(port, s3v4)),
            ("pipelining", lambda: test_pipelining(port, s3v4)),
            ("multipart", lambda: test_multipart(s3v4, data)),
        ]
        for name, fn in tests:
            if not only or name in only:
                print("# %s" % name)
                try:
                    fn()
                except Exception as e:  # a client error is a failure of this part, not of the others
                    check(False, "%s: %s: %s" % (name, type(e).__name__, e))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return done()


if __name__ == "__main__":
    sys.exit(main())
