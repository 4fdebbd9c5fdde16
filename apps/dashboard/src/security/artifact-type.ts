/**
 * How an artifact is served. An artifact is whatever a trainer wrote: it must never become a page of the
 * dashboard's origin (an `.html` or `.svg` artifact with a script would run with the dashboard's rights).
 * Only the types below are shown inline; JSON and text are sent as `text/plain` (so a browser never renders
 * them as anything else); everything else, SVG included, is an `application/octet-stream` download. Every
 * artifact response also carries `nosniff` and a sandboxing CSP (see artifactHeaders).
 */
const INLINE_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  json: 'text/plain; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  log: 'text/plain; charset=utf-8',
  csv: 'text/plain; charset=utf-8',
  md: 'text/plain; charset=utf-8',
};

/** The response headers of an artifact file named `fileName` of `size` bytes. */
export function artifactHeaders(fileName: string, size: number): Record<string, string> {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const inline = INLINE_TYPES[ext];
  // the quoted filename keeps printable ASCII only; the full name goes in RFC 5987 filename*
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const disposition = `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
  return {
    'content-type': inline ?? 'application/octet-stream',
    'content-length': String(size),
    'content-disposition': disposition,
    'x-content-type-options': 'nosniff',
    // even if a browser rendered it, no script, no plugin, no form, a unique origin
    'content-security-policy': `default-src 'none'; media-src 'self'; img-src 'self'; sandbox`,
    'cross-origin-resource-policy': 'same-origin',
  };
}
