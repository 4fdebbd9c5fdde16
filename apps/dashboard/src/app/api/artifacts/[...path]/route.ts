import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { resolveArtifactFile } from '../../../../server/artifact-file';
import { getTracker } from '../../../../server/tracker';

export const dynamic = 'force-dynamic';

/** GET /api/artifacts/<path relative to <KELLY_HOME>/artifacts>: the file, or 404 if it is not inside the root. */
export async function GET(
  _req: Request,
  { params }: { params: Promise<{ path: string[] }> },
): Promise<Response> {
  const { path } = await params;
  const file = resolveArtifactFile(getTracker().paths.artifacts, path.join('/'));
  if (!file) return new Response('artifact not found', { status: 404 });
  const stream = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(stream, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(statSync(file).size),
      'content-disposition': `attachment; filename="${basename(file).replace(/"/g, '')}"`,
    },
  });
}
