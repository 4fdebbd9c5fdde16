/** A file could not be read or decoded; `path` names it and the message says why. */
export class AudioError extends Error {
  readonly path: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`${path}: ${reason}`, options);
    this.name = 'AudioError';
    this.path = path;
  }
}
