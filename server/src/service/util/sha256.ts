import type { Hash } from 'crypto';

/**
 * A SHA-256 hash, with `crypto` required on first use. Loading `crypto` (and the streams it pulls in) costs a
 * CLI process about 4 ms at start (measured with process.moduleLoadList and --cpu-prof, 2 cores), and a plain
 * `check` hashes nothing: only a user-supplied schema, a deploy plan and the build-time precompiler do.
 */
export function createSha256(): Hash {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (above)
  return (require('crypto') as typeof import('crypto')).createHash('sha256');
}
