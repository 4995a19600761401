// XML text <-> dynamic objects (fast-xml-parser reads; writing is a few lines here). The mapping is
// Snipstudio's decision, documented in docs/builtins.md ("XML"): the root element is a member,
// attributes are members, repeated elements become arrays, all values stay text.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SnipError } from './errors.js';
import { truncateUtf8, type TextLimits } from './json.js';
import { Dyn, toText, type Value } from './values.js';

/** The member that holds an element's own text when it also has attributes or child elements. */
export const XML_TEXT_MEMBER = 'text';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  preserveOrder: true,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
});

type Node = Record<string, unknown>;

/** Adds a child element; a second element of the same name turns the member into an array. */
function addMember(o: Dyn, name: string, v: Value, arrays: Set<Dyn>): void {
  const prev = o.members.get(name);
  if (prev === undefined) {
    o.members.set(name, v);
  } else if (prev instanceof Dyn && arrays.has(prev)) {
    prev.items!.push(v);
  } else {
    const arr = new Dyn();
    arr.items = [prev, v];
    arrays.add(arr);
    o.members.set(name, arr);
  }
}

function convert(children: Node[], attrs: Record<string, string> | undefined): Value {
  let text = '';
  const elements: [string, Value][] = [];
  for (const child of children) {
    for (const key of Object.keys(child)) {
      if (key === ':@') continue;
      if (key === '#text') text += String(child[key]);
      else elements.push([key, convert(child[key] as Node[], child[':@'] as Record<string, string> | undefined)]);
    }
  }
  if (elements.length === 0 && attrs === undefined) return text;
  const o = new Dyn();
  for (const [k, v] of Object.entries(attrs ?? {})) o.members.set(k, v);
  const arrays = new Set<Dyn>();
  for (const [k, v] of elements) addMember(o, k, v, arrays);
  if (text !== '') o.members.set(XML_TEXT_MEMBER, text);
  return o;
}

/**
 * Parses XML text into a dynamic object whose one member is the root element. Elements with only
 * text are text; attributes and child elements are members; repeated child elements are an array;
 * an element's own text next to attributes or children is the member `text`.
 * @throws SnipError SNIP3008 with the line:col of the problem, SNIP3016 beyond `maxBytes`.
 */
export function parseXmlToDyn(text: string, maxBytes = Infinity): Dyn {
  if (maxBytes !== Infinity && Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new SnipError('SNIP3016', `XML text too large: more than the dynamic object limit (${maxBytes} bytes)`);
  }
  if (text.trim() === '') throw new SnipError('SNIP3008', 'Invalid XML at 1:1: the text is empty');
  const check = XMLValidator.validate(text);
  if (check !== true) {
    throw new SnipError('SNIP3008', `Invalid XML at ${check.err.line}:${check.err.col}: ${check.err.msg}`);
  }
  const doc = parser.parse(text) as Node[];
  const out = convert(doc, undefined);
  if (out instanceof Dyn) return out;
  throw new SnipError('SNIP3008', 'Invalid XML at 1:1: expected a root element');
}

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A member name as an XML element name: invalid characters become `_`. */
function elementName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.\-:]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/**
 * The `asxml()` text: each member is an element (no wrapper, so a parsed document writes back as
 * itself), array members repeat their element, a top-level array writes `<item>` elements, scalars
 * are escaped text. Output beyond `limits.maxDynamicBytes` is truncated, as documented.
 */
export function toXmlText(v: Value, limits: TextLimits): string {
  const parts: string[] = [];
  let size = 0;
  const budget = limits.maxDynamicBytes;
  const seen = new Set<Dyn>();
  const push = (s: string): boolean => {
    parts.push(s);
    size += s.length;
    return size <= budget;
  };
  const members = (o: Dyn): boolean => {
    if (seen.has(o)) return push('{Dynamic}');
    seen.add(o);
    let ok = true;
    if (o.isArray) for (const item of o.items!) ok = ok && element('item', item);
    else for (const [k, item] of o.members) ok = ok && element(k, item);
    seen.delete(o);
    return ok;
  };
  const element = (name: string, x: Value): boolean => {
    if (x instanceof Dyn && x.isArray) {
      let ok = true;
      for (const item of x.items!) ok = ok && element(name, item);
      return ok;
    }
    const tag = elementName(name);
    if (!push(`<${tag}>`)) return false;
    if (!(x instanceof Dyn ? members(x) : push(escapeXml(toText(x))))) return false;
    return push(`</${tag}>`);
  };
  if (v instanceof Dyn) members(v);
  else push(escapeXml(toText(v)));
  return truncateUtf8(parts.join(''), budget);
}
