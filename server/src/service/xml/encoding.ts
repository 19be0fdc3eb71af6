/**
 * The bytes of a policy file and its text, both ways, without guessing and without losing a byte:
 * `decodePolicyBytes` finds the encoding the way XML 1.0 (Fifth Edition) Appendix F describes (byte-order
 * mark, then the first bytes of `<?xml`, then the declaration's `encoding`), and `encodePolicyText` writes
 * edited text back in the same form, so a save changes no byte outside the edit.
 *
 * What is an error (never a silent U+FFFD or a guess):
 * - bytes that are not valid in the encoding (invalid UTF-8 or UTF-16, a byte above 0x7F in US-ASCII);
 * - a declared encoding this module does not support (only UTF-8, UTF-16, ISO-8859-1, windows-1252 and
 *   US-ASCII are);
 * - a declaration that contradicts the bytes: UTF-16 declared in a file that is not stored as UTF-16 (.NET's
 *   XmlTextReader refuses it: "There is no Unicode byte order mark. Cannot switch to Unicode."; XML 1.0
 *   section 4.3.3 makes any such mismatch a fatal error), or another encoding declared in a file whose
 *   byte-order mark or UTF-16 form says otherwise;
 * - UTF-32 (its byte-order mark or `<` pattern), which no policy tool reads.
 * Pure: no I/O, no state.
 */

export type PolicyEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | SingleByteEncoding;
type SingleByteEncoding = 'iso-8859-1' | 'windows-1252' | 'us-ascii';

/** How a file is stored: enough to write edited text back byte for byte. */
export interface PolicyByteForm {
  encoding: PolicyEncoding;
  /** Whether the file starts with a byte-order mark (only UTF-8 and UTF-16 have one). */
  bom: boolean;
}

export interface DecodedPolicy extends PolicyByteForm {
  /** The text without the byte-order mark (offsets then match the editor's). */
  text: string;
}

export interface EncodingError {
  error: string;
  /** Where the problem is: a byte offset for decoding, a text offset for encoding (when there is one). */
  offset?: number;
}

const SUPPORTED = 'UTF-8, UTF-16, ISO-8859-1, windows-1252 or US-ASCII';

/** Encoding names as they appear in XML declarations (IANA names and common aliases), lower-case. */
const DECLARED_NAMES: Record<string, 'utf-8' | 'utf-16' | SingleByteEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16': 'utf-16',
  'utf-16le': 'utf-16',
  'utf-16be': 'utf-16',
  'ucs-2': 'utf-16',
  'iso-10646-ucs-2': 'utf-16',
  'iso-8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  iso_8859_1: 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  'iso_8859-1:1987': 'iso-8859-1',
  'iso-ir-100': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  l1: 'iso-8859-1',
  cp819: 'iso-8859-1',
  ibm819: 'iso-8859-1',
  csisolatin1: 'iso-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  'us-ascii': 'us-ascii',
  ascii: 'us-ascii',
  'iso646-us': 'us-ascii',
  'ansi_x3.4-1968': 'us-ascii',
  'iso-ir-6': 'us-ascii',
  cp367: 'us-ascii',
  ibm367: 'us-ascii',
  csascii: 'us-ascii',
};

/**
 * windows-1252 bytes 0x80-0x9F (the WHATWG Encoding Standard's index, as browsers and Node decode it); the
 * five bytes Microsoft leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the same
 * number, so every byte round-trips.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Reads a policy file's bytes as text, telling how they were stored; or says why they cannot be read. */
export function decodePolicyBytes(bytes: Uint8Array): DecodedPolicy | EncodingError {
  const b = (i: number) => (i < bytes.length ? bytes[i] : -1);
  if ((b(0) === 0x00 && b(1) === 0x00 && ((b(2) === 0xfe && b(3) === 0xff) || (b(2) === 0x00 && b(3) === 0x3c))) || (b(0) === 0xff && b(1) === 0xfe && b(2) === 0x00 && b(3) === 0x00) || (b(0) === 0x3c && b(1) === 0x00 && b(2) === 0x00 && b(3) === 0x00)) {
    return { error: `The file is stored as UTF-32, which is not supported: save it as UTF-8.` };
  }
  if (b(0) === 0xff && b(1) === 0xfe) return decodeUtf16(bytes, 'utf-16le', true);
  if (b(0) === 0xfe && b(1) === 0xff) return decodeUtf16(bytes, 'utf-16be', true);
  if (b(0) === 0x3c && b(1) === 0x00 && b(2) === 0x3f && b(3) === 0x00) return decodeUtf16(bytes, 'utf-16le', false);
  if (b(0) === 0x00 && b(1) === 0x3c && b(2) === 0x00 && b(3) === 0x3f) return decodeUtf16(bytes, 'utf-16be', false);

  const bom = b(0) === 0xef && b(1) === 0xbb && b(2) === 0xbf;
  const start = bom ? 3 : 0;
  const head = bytes.subarray(start, Math.min(bytes.length, start + 1024));
  const declared = declaredEncoding(String.fromCharCode(...head));
  let encoding: 'utf-8' | SingleByteEncoding = 'utf-8';
  if (declared !== undefined) {
    const known = DECLARED_NAMES[declared.toLowerCase()];
    if (!known) return { error: `The XML declaration names encoding "${declared}", which is not supported: use ${SUPPORTED} (UTF-8 is best).` };
    if (known === 'utf-16') {
      return { error: `The XML declaration says encoding "${declared}", but the file is not stored as UTF-16 (it has no UTF-16 byte-order mark): declare encoding="utf-8", or save the file as UTF-16.` };
    }
    if (bom && known !== 'utf-8') {
      return { error: `The file starts with a UTF-8 byte-order mark, but its XML declaration says encoding "${declared}": make them agree (declare encoding="utf-8", or save without the byte-order mark).` };
    }
    encoding = known;
  }
  const body = bytes.subarray(start);
  if (encoding === 'utf-8') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding, bom };
    } catch {
      const at = start + firstInvalidUtf8(body);
      return {
        error: `The file is not valid UTF-8: byte 0x${hex(bytes[at])} at offset ${at} (line ${lineOfByte(bytes, at)}). Save it as UTF-8, or declare the encoding it is in (for example <?xml version="1.0" encoding="windows-1252"?>).`,
        offset: at,
      };
    }
  }
  if (encoding === 'us-ascii') {
    const at = start + body.findIndex((x) => x > 0x7f);
    if (at >= start) {
      return {
        error: `The file declares encoding "${declared}" but byte 0x${hex(bytes[at])} at offset ${at} (line ${lineOfByte(bytes, at)}) is not US-ASCII: declare the encoding the file is in (UTF-8 is best).`,
        offset: at,
      };
    }
  }
  return { text: decodeSingleByte(body, encoding), encoding, bom: false };
}

/** Writes text in the given form; an error when a character cannot be written in it (the caller refuses the edit). */
export function encodePolicyText(text: string, form: PolicyByteForm): { bytes: Uint8Array } | EncodingError {
  const { encoding, bom } = form;
  const lone = firstLoneSurrogate(text);
  if (lone >= 0) return { error: `The text has half a character (an unpaired UTF-16 surrogate) at ${lineAndColumn(text, lone)}: it cannot be written in any encoding.`, offset: lone };
  if (encoding === 'utf-8') {
    const encoded = new TextEncoder().encode(text);
    if (!bom) return { bytes: encoded };
    const out = new Uint8Array(encoded.length + 3);
    out.set([0xef, 0xbb, 0xbf]);
    out.set(encoded, 3);
    return { bytes: out };
  }
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const offset = bom ? 2 : 0;
    const out = new Uint8Array(offset + text.length * 2);
    const little = encoding === 'utf-16le';
    if (bom) out.set(little ? [0xff, 0xfe] : [0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out[offset + 2 * i + (little ? 0 : 1)] = c & 0xff;
      out[offset + 2 * i + (little ? 1 : 0)] = c >> 8;
    }
    return { bytes: out };
  }
  if (bom) return { error: `${encoding} has no byte-order mark.` };
  const toByte = singleByteEncoder(encoding);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const byte = toByte(text.charCodeAt(i));
    if (byte < 0) {
      const cp = text.codePointAt(i)!;
      return {
        error: `'${String.fromCodePoint(cp)}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) at ${lineAndColumn(text, i)} cannot be written in ${encoding}, the file's encoding: write it as a character reference (&#x${cp.toString(16).toUpperCase()};) or save the file as UTF-8.`,
        offset: i,
      };
    }
    out[i] = byte;
  }
  return { bytes: out };
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', bom: boolean): DecodedPolicy | EncodingError {
  const body = bytes.subarray(bom ? 2 : 0);
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const odd = body.length % 2 === 1;
    return { error: odd ? `The file is not valid ${encoding.toUpperCase()}: it ends in the middle of a character.` : `The file is not valid ${encoding.toUpperCase()}: it has an unpaired surrogate.` };
  }
  const declared = declaredEncoding(text.slice(0, 1024));
  if (declared !== undefined) {
    const known = DECLARED_NAMES[declared.toLowerCase()];
    if (!known) return { error: `The XML declaration names encoding "${declared}", which is not supported: use ${SUPPORTED} (UTF-8 is best).` };
    if (known !== 'utf-16') {
      return { error: `The file is stored as UTF-16, but its XML declaration says encoding "${declared}": make them agree (declare encoding="utf-16", or save the file as ${declared}).` };
    }
  }
  return { text, encoding, bom };
}

/** The `encoding` of an XML declaration at the very start of `head`, if any. */
function declaredEncoding(head: string): string | undefined {
  const match = /^<\?xml[ \t\r\n](?:[^>]*?[ \t\r\n])?encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/.exec(head);
  return match ? (match[1] ?? match[2]) : undefined;
}

function decodeSingleByte(bytes: Uint8Array, encoding: SingleByteEncoding): string {
  const codes = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const x = bytes[i];
    codes[i] = encoding === 'windows-1252' && x >= 0x80 && x <= 0x9f ? WINDOWS_1252_HIGH[x - 0x80] : x;
  }
  let text = '';
  for (let i = 0; i < codes.length; i += 8192) text += String.fromCharCode(...codes.subarray(i, i + 8192));
  return text;
}

/** Maps a UTF-16 code unit to its byte in a single-byte encoding, or -1. */
function singleByteEncoder(encoding: SingleByteEncoding): (c: number) => number {
  if (encoding === 'us-ascii') return (c) => (c <= 0x7f ? c : -1);
  if (encoding === 'iso-8859-1') return (c) => (c <= 0xff ? c : -1);
  const high = new Map<number, number>(WINDOWS_1252_HIGH.map((c, i) => [c, 0x80 + i]));
  return (c) => (c <= 0x7f || (c >= 0xa0 && c <= 0xff) ? c : (high.get(c) ?? -1));
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (Unicode Table 3-7). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const x = bytes[i];
    if (x < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (x >= 0xc2 && x <= 0xdf) length = 2;
    else if (x >= 0xe0 && x <= 0xef) {
      length = 3;
      if (x === 0xe0) low = 0xa0;
      if (x === 0xed) high = 0x9f;
    } else if (x >= 0xf0 && x <= 0xf4) {
      length = 4;
      if (x === 0xf0) low = 0x90;
      if (x === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const y = i + k < bytes.length ? bytes[i + k] : -1;
      if (y < (k === 1 ? low : 0x80) || y > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length;
}

function firstLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
