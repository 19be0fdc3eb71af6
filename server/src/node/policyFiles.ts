import * as fs from 'fs';
import { errorText, MAX_POLICY_BYTES } from './workspaceFiles';

/** Text as the editor sees it: without the UTF-8 byte-order mark (positions then match VS Code's). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export type ReadResult =
  | { ok: true; text: string; bom: boolean }
  /** `io`: the file could not be read (exit 2 in the CLI); `content`: read, but not checkable (a finding). */
  | { ok: false; kind: 'io' | 'content'; message: string };

/**
 * Reads a policy file safely: a regular file only (stat first, so a FIFO or a device is never opened),
 * at most MAX_POLICY_BYTES (read through a bounded buffer, so a file that grows while read cannot exhaust
 * memory), decoded as UTF-8 (BOM removed). Never throws.
 */
export function readPolicyFile(file: string, maxBytes = MAX_POLICY_BYTES): ReadResult {
  let fd: number | undefined;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { ok: false, kind: 'io', message: 'not a regular file: not read' };
    if (stat.size > maxBytes) return { ok: false, kind: 'content', message: `too large to check (${formatSize(stat.size)}; the limit is ${formatSize(maxBytes)}, the service's own 1,024 KB)` };
    fd = fs.openSync(file, 'r');
    const buffer = new Uint8Array(Math.min(maxBytes + 1, Math.max(stat.size + 1, 1)));
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) return { ok: false, kind: 'content', message: `too large to check (over ${formatSize(maxBytes)})` };
    const bytes = Buffer.from(buffer.buffer, 0, length);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { ok: true, text: stripBom(bytes.toString('utf8')), bom };
  } catch (e) {
    return { ok: false, kind: 'io', message: `cannot read: ${errorText(e)}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Reads a policy's text, throwing a one-line error when it cannot (for callers that stop on I/O errors). */
export function readPolicyText(file: string): string {
  const result = readPolicyFile(file);
  if (!result.ok) throw new Error(`${file}: ${result.message}`);
  return result.text;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
