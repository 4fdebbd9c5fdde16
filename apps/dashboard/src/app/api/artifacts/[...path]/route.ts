import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { resolveArtifactFile } from '../../../../server/artifact-file';
import { getTracker } from '../../../../server/tracker';

export const dynamic = 'force-dynamic';

/** Media files (run.logMedia) are shown inline with their own type; everything else downloads as bytes. */
const INLINE_TYPES: Record<string, string> = { '.wav': 'audio/wav', '.png': 'image/png' };

/** GET /api/artifacts/<path relative to <KELLY_HOME>/artifacts>: the file, or 404 if it is not inside the root. */
export async function GET(
  _req: Request,
  { params }: { params: Promise<{ path: string[] }> },
): Promise<Response> {
  const { path } = await params;
  const file = resolveArtifactFile(getTracker().paths.artifacts, path.join('/'));
  if (!file) return new Response('artifact not found', { status: 404 });
  const stream = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  const inline = INLINE_TYPES[extname(file).toLowerCase()];
  const name = basename(file).replace(/"/g, '');
  return new Response(stream, {
    headers: {
      'content-type': inline ?? 'application/octet-stream',
      'content-length': String(statSync(file).size),
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
      'x-content-type-options': 'nosniff',
    },
  });
}
