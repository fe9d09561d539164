#!/usr/bin/python3
"""Prints SigV4 cases signed by botocore, as JSON, for test-aws-sigv4.

Each case: the request before signing (method, URL, path and query as sent,
headers, body in base64), the keys, region, service, fixed date, whether S3
rules apply and whether the payload is unsigned, and what botocore produced:
the canonical request and the Authorization header. Exits 77 (skip) when
botocore is not installed. Deterministic: a fixed seed.
"""
import base64
import datetime as real_datetime
import json
import random
import sys
import types
from unittest import mock
from urllib.parse import quote, urlsplit

try:
    from botocore.auth import S3SigV4Auth, SigV4Auth, _host_from_url
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    import botocore
except ImportError:
    sys.exit(77)

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
rng = random.Random(20240115)

SEGMENTS = ['a', 'b c', 'dataset group', 'caf\u00e9', '\u2713', '\ud55c\uae00', 'x~y', 'k-1_2.3',
            '%', 'a+b', 'semi;colon', 'eq=ual', "quote'", 'paren(s)', 'star*', '..', '.', '',
            'CSV', 'interactions.csv', 'json_input.json.out', 'emoji\U0001F600']
QUERY_KEYS = ['list-type', 'prefix', 'continuation-token', 'max-keys', 'a', 'b', 'B', 'policy',
              'Action', 'x y', 'caf\u00e9', 'delimiter', 'versionId', 'z']
QUERY_VALUES = ['', '2', '1', '10', 'a/b c', 'caf\u00e9', '\u2713', 'x=y', 'p&q', 'tilde~', '-_.',
                'Zz', 'zz', 'AA', '/', '*', 'a+b', '100%']
HEADER_VALUES = ['  leading', 'trailing  ', 'in   between\tspaces', 'plain', 'a, b', '', 'UPPER lower',
                 'x' * 40, 'caf\u00e9']
SERVICES = [('personalize', False), ('personalize', False), ('s3', True), ('s3', True),
            ('iam', False), ('sts', False)]
REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-2']
AKIDS = ['AKIDEXAMPLE', 'AKIAIOSFODNN7EXAMPLE', 'ASIAQWERTYUIOPASDFGH']
SECRETS = ['wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
           's3cr3t+/with/slashes==']
TOKENS = [None, None, 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDtoken+/=',
          'FwoGZXIvYXdzEBYaDHsessiontoken']


def encode_path(segments):
    return '/' + '/'.join(quote(s, safe='') for s in segments)


def make_case(i):
    service, s3 = rng.choice(SERVICES)
    region = rng.choice(REGIONS)
    scheme = rng.choice(['https', 'http'])
    port = rng.choice([None, None, 443 if scheme == 'https' else 80, 4566, 8080])
    host = rng.choice(['%s.%s.amazonaws.com' % (service, region), '127.0.0.1', 'localhost',
                       'bucket-name.s3.amazonaws.com'])
    netloc = host if port is None else '%s:%d' % (host, port)
    nseg = rng.randint(0, 4)
    path = encode_path([rng.choice(SEGMENTS) for _ in range(nseg)]) if nseg else '/'
    if rng.random() < 0.2:
        path += '/'
    if rng.random() < 0.1 and not s3:
        path = path.replace('/', '//', 1)
    pairs = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5])):
        k = quote(rng.choice(QUERY_KEYS), safe='-_.~')
        if rng.random() < 0.1:
            pairs.append(k)  # a name without '='
        else:
            pairs.append('%s=%s' % (k, quote(rng.choice(QUERY_VALUES), safe='-_.~')))
    if pairs and rng.random() < 0.3:
        k = pairs[0].split('=')[0]
        pairs.append('%s=%s' % (k, quote(rng.choice(QUERY_VALUES), safe='-_.~')))  # repeated key
    rng.shuffle(pairs)
    query = '&'.join(pairs)
    url = '%s://%s%s%s' % (scheme, netloc, path, '?' + query if query else '')

    method = rng.choice(['GET', 'POST', 'PUT', 'DELETE', 'HEAD'])
    body_kind = rng.choice(['empty', 'empty', 'json', 'text', 'binary', 'form'])
    if body_kind == 'empty':
        body = b''
    elif body_kind == 'json':
        body = json.dumps({'datasetGroupArn': 'arn:aws:personalize:%s:123456789012:dataset-group/g%d' % (region, i),
                           'name': 'caf\u00e9 %d' % i}, ensure_ascii=rng.random() < 0.5).encode('utf-8')
    elif body_kind == 'text':
        body = ('USER_ID,ITEM_ID,TIMESTAMP\n' * rng.randint(1, 50)).encode('utf-8')
    elif body_kind == 'binary':
        body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    else:
        body = b'Action=GetCallerIdentity&Version=2011-06-15'

    headers = []
    if body_kind == 'json':
        headers.append(('Content-Type', 'application/x-amz-json-1.1'))
        headers.append(('X-Amz-Target', 'AmazonPersonalize.DescribeDatasetGroup'))
    elif body_kind == 'form':
        headers.append(('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'))
    elif body_kind != 'empty':
        headers.append(('Content-Type', rng.choice(['text/csv', 'application/octet-stream'])))
    for _ in range(rng.choice([0, 0, 1, 2])):
        name = rng.choice(['X-Amz-Meta-Note', 'x-amz-meta-owner', 'X-Custom-Header', 'Accept', 'Content-MD5'])
        headers.append((name, rng.choice(HEADER_VALUES)))
    if rng.random() < 0.15:
        headers.append(('X-Amz-Meta-Dup', 'first'))
        headers.append(('X-Amz-Meta-Dup', ' second  value '))
    if rng.random() < 0.2:
        headers.append(('User-Agent', 'test/1.0'))  # never signed

    akid = rng.choice(AKIDS)
    secret = rng.choice(SECRETS)
    token = rng.choice(TOKENS)
    unsigned = s3 and rng.random() < 0.3
    when = real_datetime.datetime(2024, 1, 1) + real_datetime.timedelta(seconds=rng.randrange(3 * 365 * 86400))
    return dict(service=service, s3=s3, region=region, url=url, path=urlsplit(url).path,
                query=urlsplit(url).query, method=method, body=body, headers=headers, akid=akid,
                secret=secret, token=token, unsigned=unsigned, when=when)


def sign(case):
    request = AWSRequest(method=case['method'], url=case['url'], data=case['body'])
    for name, value in case['headers']:
        request.headers[name] = value  # HTTPHeaders appends: repeated names stay repeated
    if case['unsigned']:
        request.context['client_config'] = types.SimpleNamespace(s3={'payload_signing_enabled': False})
    creds = Credentials(case['akid'], case['secret'], case['token'])
    cls = S3SigV4Auth if case['s3'] else SigV4Auth
    captured = {}

    class Capturing(cls):
        def canonical_request(self, req):
            cr = super().canonical_request(req)
            captured['cr'] = cr
            return cr

    auth = Capturing(creds, case['service'], case['region'])

    class FixedDateTime(real_datetime.datetime):
        @classmethod
        def utcnow(cls):
            return case['when']

    with mock.patch('botocore.auth.datetime', types.SimpleNamespace(datetime=FixedDateTime)):
        auth.add_auth(request)
    return captured['cr'], request.headers['Authorization'], _host_from_url(case['url'])


cases = []
for i in range(N):
    c = make_case(i)
    cr, authorization, host = sign(c)
    cases.append({
        'name': 'case-%03d-%s-%s' % (i, c['service'], c['method']),
        'method': c['method'], 'url': c['url'], 'path': c['path'], 'query': c['query'],
        'host': host, 'headers': c['headers'],
        'body': base64.b64encode(c['body']).decode('ascii'),
        'access_key_id': c['akid'], 'secret_access_key': c['secret'], 'session_token': c['token'],
        'region': c['region'], 'service': c['service'], 's3': c['s3'], 'unsigned_payload': c['unsigned'],
        'amz_date': c['when'].strftime('%Y%m%dT%H%M%SZ'),
        'canonical_request': cr, 'authorization': authorization,
    })
json.dump({'botocore': botocore.__version__, 'cases': cases}, sys.stdout, ensure_ascii=False, indent=1)
