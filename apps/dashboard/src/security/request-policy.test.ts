import { describe, expect, it } from 'vitest';
import { allowedHostnames, hostnameOfHeader } from './hosts';
import { BODY_LIMIT_BYTES, checkRequest, type RequestPolicy } from './request-policy';

const policy: RequestPolicy = {
  hosts: allowedHostnames('127.0.0.1', ['kelly.lan']),
  bodyLimit: BODY_LIMIT_BYTES,
};
const check = (
  method: string,
  path: string,
  headers: Record<string, string>,
  verify = (t: string) => t === 'good',
) => checkRequest({ method, path, headers: new Headers(headers) }, policy, verify);
const own = { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', 'content-length': '20' };

describe('hostnameOfHeader', () => {
  it('keeps the hostname of host[:port], IPv6 in brackets, and refuses anything else', () => {
    expect(hostnameOfHeader('127.0.0.1:3000')).toBe('127.0.0.1');
    expect(hostnameOfHeader('LocalHost')).toBe('localhost');
    expect(hostnameOfHeader('[::1]:3000')).toBe('[::1]');
    for (const bad of ['', 'a/b', 'user@127.0.0.1', '127.0.0.1:99999', '127.0.0.1:x', 'a b', null])
      expect(hostnameOfHeader(bad)).toBeNull();
  });
});

describe('checkRequest', () => {
  it('refuses a foreign Host (DNS rebinding) before anything else, naming the header', async () => {
    const r = await check('POST', '/api/trpc/models.promote', {
      ...own,
      host: 'evil.example:3000',
      origin: 'http://evil.example:3000',
    });
    expect(r).toMatchObject({ status: 403 });
    expect(r?.reason).toMatch(/^Host not allowed: "evil\.example:3000"/);
    expect(await check('GET', '/api/health', { host: 'evil.example' })).toMatchObject({ status: 403 });
    expect(await check('GET', '/', {})).toMatchObject({ status: 403 });
  });

  it('accepts the loopback names, the bound address and --allowed-host names, on any port', async () => {
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'kelly.lan', 'KELLY.LAN:80'])
      expect(await check('GET', '/', { host })).toBeNull();
    const wildcard = allowedHostnames('0.0.0.0', []);
    expect(wildcard.has('0.0.0.0')).toBe(false);
    expect([...wildcard].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
  });

  it('requires the own Origin (or Sec-Fetch-Site: same-origin) on every write', async () => {
    expect(await check('POST', '/api/trpc/runs.update', own)).toBeNull();
    expect(
      await check('POST', '/api/trpc/runs.update', { ...own, origin: 'http://127.0.0.2:4000' }),
    ).toMatchObject({ status: 403, reason: expect.stringMatching(/^Origin: http:\/\/127\.0\.0\.2:4000/) });
    // same site, other port: still another origin
    expect(
      await check('POST', '/api/trpc/runs.update', { ...own, origin: 'http://127.0.0.1:8888' }),
    ).toMatchObject({ status: 403 });
    expect(await check('POST', '/api/trpc/runs.update', { ...own, origin: 'null' })).toMatchObject({
      status: 403,
    });
    const { origin: _, ...noOrigin } = own;
    expect(await check('POST', '/api/trpc/runs.update', noOrigin)).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/^Origin: a write needs/),
    });
    expect(
      await check('POST', '/api/trpc/runs.update', { ...noOrigin, 'sec-fetch-site': 'same-origin' }),
    ).toBeNull();
    for (const method of ['PUT', 'DELETE', 'PATCH'])
      expect(await check(method, '/x', noOrigin)).toMatchObject({ status: 403 });
    expect(await check('GET', '/api/trpc/runs.list', { host: own.host })).toBeNull();
  });

  it('isolates /api from other sites by fetch metadata, same-site included', async () => {
    for (const site of ['cross-site', 'same-site'])
      expect(
        await check('GET', '/api/trpc/runs.list', { host: own.host, 'sec-fetch-site': site }),
      ).toMatchObject({
        status: 403,
        reason: `Sec-Fetch-Site: ${site}: /api answers only the dashboard's own pages`,
      });
    for (const site of ['same-origin', 'none'])
      expect(
        await check('GET', '/api/artifacts/a/b.wav', { host: own.host, 'sec-fetch-site': site }),
      ).toBeNull();
    // a page may be opened from a link on another site
    expect(await check('GET', '/runs/x', { host: own.host, 'sec-fetch-site': 'cross-site' })).toBeNull();
  });

  it('refuses bodies over the limit (413) and bodies of unknown length (411)', async () => {
    expect(
      await check('POST', '/api/trpc/runs.update', { ...own, 'content-length': String(BODY_LIMIT_BYTES) }),
    ).toBeNull();
    expect(
      await check('POST', '/api/trpc/runs.update', {
        ...own,
        'content-length': String(BODY_LIMIT_BYTES + 1),
      }),
    ).toMatchObject({ status: 413, reason: expect.stringMatching(/^Content-Length: 1048577 bytes/) });
    const { 'content-length': _, ...noLength } = own;
    expect(
      await check('POST', '/api/trpc/runs.update', { ...noLength, 'transfer-encoding': 'chunked' }),
    ).toMatchObject({ status: 411 });
    expect(await check('POST', '/api/trpc/runs.update', { ...own, 'content-length': '1e9' })).toMatchObject({
      status: 411,
    });
  });

  it('lets /api/tracking through only with a token that verifies, never on a missing header', async () => {
    const tracking = '/api/tracking/runs';
    expect(await check('POST', tracking, own)).toMatchObject({ status: 401 });
    expect(await check('POST', tracking, { host: own.host })).toMatchObject({ status: 401 });
    expect(await check('POST', tracking, { ...own, authorization: 'Bearer bad' })).toMatchObject({
      status: 401,
      reason: 'Authorization: the token is not valid',
    });
    expect(await check('POST', tracking, { ...own, authorization: 'Basic good' })).toMatchObject({
      status: 401,
    });
    // a remote client: no Origin, no fetch metadata, a big streamed upload; the token is what admits it
    expect(
      await check('POST', tracking, {
        host: own.host,
        authorization: 'Bearer good',
        'transfer-encoding': 'chunked',
      }),
    ).toBeNull();
    // the token never opens the rest of /api
    expect(
      await check('POST', '/api/trpc/models.promote', { host: own.host, authorization: 'Bearer good' }),
    ).toMatchObject({ status: 403 });
    // nor does it bypass the Host allow-list
    expect(
      await check('POST', tracking, { host: 'evil.example', authorization: 'Bearer good' }),
    ).toMatchObject({ status: 403 });
  });
});
