/**
 * The Content-Security-Policy of every page: scripts only from the dashboard itself and only those carrying this
 * request's nonce (Next puts it on its own scripts; 'strict-dynamic' lets them load their chunks); no plugins,
 * no framing, no foreign connections, forms and <base> pinned to the dashboard.
 * Styles allow 'unsafe-inline': React writes `style` attributes and uPlot sets inline styles; a style cannot run
 * code. Media and images from the dashboard (artifacts) and blob:/data: (charts, generated audio).
 * `dev`: next dev needs eval (React's debug stacks) and a websocket for hot reload.
 */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' blob: data:`,
    `media-src 'self' blob:`,
    `font-src 'self'`,
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}
