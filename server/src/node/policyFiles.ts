import * as fs from 'fs';
import { decodePolicyBytes, encodePolicyText, type PolicyByteForm } from '../service/xml/encoding';
import { errorText, MAX_POLICY_BYTES } from './workspaceFiles';

export type { PolicyByteForm } from '../service/xml/encoding';

/** Text as the editor sees it: without the byte-order mark (positions then match VS Code's). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export type ReadResult =
  /** `form`: how the file is stored (encoding, byte-order mark), to write it back the same way. */
  | { ok: true; text: string; bom: boolean; form: PolicyByteForm }
  /** `io`: the file could not be read (exit 2 in the CLI); `content`: read, but not checkable (a finding). */
  | { ok: false; kind: 'io' | 'content'; message: string };

/** O_NONBLOCK where the platform has it: opening a FIFO then returns at once instead of waiting for a writer. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Reads a policy file safely and decodes it. A regular file only: the path is checked before it is opened and
 * the opened file again (opened without blocking, so a FIFO or a device swapped in between is never waited
 * on or read). At most `maxBytes`, read through a bounded buffer (a file that grows while read cannot
 * exhaust memory). Decoded as XML says (encoding.ts: UTF-8 with or without BOM, UTF-16 with BOM, the
 * declaration's single-byte encodings); a file that cannot be decoded is a `content` problem with the
 * decoder's message. Never throws.
 */
export function readPolicyFile(file: string, maxBytes = MAX_POLICY_BYTES): ReadResult {
  let fd: number | undefined;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { ok: false, kind: 'io', message: 'not a regular file: not read' };
    if (stat.size > maxBytes) return tooLarge(`${formatSize(stat.size)}; the limit is ${formatSize(maxBytes)}`, maxBytes);
    fd = fs.openSync(file, OPEN_FLAGS);
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) return { ok: false, kind: 'io', message: 'not a regular file: not read' };
    const buffer = new Uint8Array(Math.min(maxBytes + 1, Math.max(opened.size + 1, 1)));
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) return tooLarge(`over ${formatSize(maxBytes)}`, maxBytes);
    const decoded = decodePolicyBytes(buffer.subarray(0, length));
    if ('error' in decoded) return { ok: false, kind: 'content', message: decoded.error.replace(/\.$/, '') };
    return { ok: true, text: decoded.text, bom: decoded.bom, form: { encoding: decoded.encoding, bom: decoded.bom } };
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

/** A file's new text as bytes in the file's own form (encoding and byte-order mark), or why it cannot be. */
export function policyBytes(file: string, text: string, form: PolicyByteForm): Uint8Array {
  const encoded = encodePolicyText(text, form);
  if ('error' in encoded) throw new EncodeError(`${file}: ${encoded.error.replace(/\.$/, '')}; nothing was written`);
  return encoded.bytes;
}

/** An edit that the file's encoding cannot hold: the edit is refused, no file is written. */
export class EncodeError extends Error {}

function tooLarge(size: string, maxBytes: number): ReadResult {
  const service = maxBytes === MAX_POLICY_BYTES ? '; the service itself takes at most 1,024 KB' : '';
  return { ok: false, kind: 'content', message: `too large to check (${size}${service})` };
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
