/**
 * Whether `value` is an absolute http:// or https:// URL: the only links Deskwatch stores and
 * renders. Anything else (`javascript:`, `data:`, `vbscript:`, `file:`, relative or broken text)
 * is refused at input and shown as text if an older version stored it. Parsed by the WHATWG URL
 * parser, like a browser's href, so case, leading spaces and tabs inside the scheme change nothing.
 * @example isSafeHttpUrl('https://help.example.com/kb/42') // true
 * @example isSafeHttpUrl('javascript:alert(1)') // false
 */
export function isSafeHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
