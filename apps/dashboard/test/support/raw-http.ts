/** HTTP requests sent exactly as written (no fetch: it adds Origin/Sec-Fetch headers and normalises paths). */
import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (Host included) and body. */
export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  chunked = false,
  timeoutMs = 30_000,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers, setHost: !('Host' in headers || 'host' in headers) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    // a hang is a failure: the request is bounded
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no answer within ${timeoutMs} ms: ${method} ${path.slice(0, 200)}`)),
    );
    if (body !== undefined && chunked) {
      req.setHeader('transfer-encoding', 'chunked');
      req.write(body);
    } else if (body !== undefined) req.end(body);
    req.end();
  });
}
