import chardet from 'chardet';
import iconv from 'iconv-lite';

/** A file that cannot be turned into text without guessing wrong: its import item says why. */
export class EncodingError extends Error {}

const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/** The charset an HTML page or an XML declaration states in its first bytes, if any. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  // Declarations are ASCII; reading the head as Latin-1 never fails.
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const m =
    head.match(/<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i) ??
    head.match(/<\?xml\s[^>]*?encoding\s*=\s*["']([\w.:-]+)["']/i);
  return m?.[1]?.toLowerCase();
}

/**
 * A file's text. A byte-order mark wins, then a charset the file declares (HTML `<meta charset>`
 * or `http-equiv`, an XML declaration), then UTF-8 when the bytes are valid UTF-8, then the
 * encoding a detector reads off the bytes (Latin-1 and Windows-1252 exports, mostly). Decoding
 * is strict: bytes that do not fit the encoding reject the file rather than store U+FFFD.
 */
export function decodeText(bytes: Uint8Array, declares: 'html' | 'none' = 'none'): string {
  for (const [bom, label] of BOMS)
    if (bom.every((b, i) => bytes[i] === b))
      return decodeWith(label, bytes.subarray(bom.length), 'its byte-order mark says');
  const declared = declares === 'html' ? declaredCharset(bytes) : undefined;
  // A page saved as UTF-8 that still says UTF-16 is read as UTF-8, as browsers do.
  if (declared)
    return decodeWith(declared.replace(/^utf-16(le|be)?$/, 'utf-8'), bytes, 'it declares');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: ask the detector below.
  }
  const guess = chardet.detect(bytes);
  if (!guess || /^utf-?8$/i.test(guess))
    throw new EncodingError('it is not UTF-8 and its encoding cannot be told: save it as UTF-8');
  return decodeWith(guess, bytes, 'it looks like');
}

/**
 * Bytes decoded strictly. Node's own TextDecoder reads windows-1252 as Latin-1 (the euro sign and
 * typographic quotes become control characters), so anything but UTF-8 goes through iconv-lite,
 * and what it could not map (U+FFFD) rejects the file.
 */
function decodeWith(label: string, bytes: Uint8Array, why: string): string {
  const invalid = new EncodingError(`it is not valid ${label} as ${why}: save it as UTF-8`);
  // As browsers do: a page that says Latin-1 or ASCII means Windows-1252, its superset.
  const name = /^(iso-?8859-1|latin-?1|us-ascii|ascii)$/i.test(label) ? 'windows-1252' : label;
  if (/^utf-?8$/i.test(name)) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw invalid;
    }
  }
  if (!iconv.encodingExists(name))
    throw new EncodingError(`its encoding (${label}) is not one Deskwatch reads: save it as UTF-8`);
  const text = iconv.decode(Buffer.from(bytes), name);
  if (text.includes('\uFFFD')) throw invalid;
  return text;
}
