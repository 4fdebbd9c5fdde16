import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { resolveArtifactFile } from '../../../../server/artifact-file';
import { getTracker } from '../../../../server/tracker';
import { artifactHeaders } from '../../../../security/artifact-type';

export const dynamic = 'force-dynamic';

/**
 * GET /api/artifacts/<path relative to <KELLY_HOME>/artifacts>: the file, or 404 if it is not inside the root.
 * Served with an allow-listed content type (else a download), nosniff and a sandboxing CSP: see artifactHeaders.
 */
export async function GET(
  _req: Request,
  { params }: { params: Promise<{ path: string[] }> },
): Promise<Response> {
  const { path } = await params;
  const file = resolveArtifactFile(getTracker().paths.artifacts, path.join('/'));
  if (!file) return new Response('artifact not found', { status: 404 });
  const stream = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(stream, { headers: artifactHeaders(basename(file), statSync(file).size) });
}
