// Encoding built-ins: URL, Base64 (UTF-8) and escaping for JSON and XML text.
import { capText, invalid, str } from './args.js';
import type { BuiltinImpl } from './types.js';

/** Base64 of the UTF-8 bytes of a text (also the RestProxy's EncodeBase64). */
export function base64Encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Lone surrogates become U+FFFD, which encodeURIComponent would otherwise reject. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function urlDecode(s: string): string {
  return s.replace(/\+/g, ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

export const ENCODING_IMPLS: Record<string, BuiltinImpl> = {
  urlencode: ([s], ctx) =>
    capText('urlencode', encodeURIComponent(wellFormed(str(s))).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`), ctx),
  urldecode: ([s]) => urlDecode(str(s)),
  base64encode: ([s], ctx) => capText('base64encode', base64Encode(str(s)), ctx),
  base64decode: ([s]) => {
    const t = str(s).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t) || t.replace(/=+$/, '').length % 4 === 1) {
      invalid('base64decode', 'the text is not Base64');
    }
    return Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64').toString('utf8');
  },
  escapejson: ([s], ctx) => capText('escapejson', JSON.stringify(str(s)).slice(1, -1), ctx),
  escapexml: ([s], ctx) =>
    capText(
      'escapexml',
      str(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!),
      ctx,
    ),
};
