// Catalog entries: arrays, dynamic objects, encodings, conversions and the rest (misc, REST proxy).
import type { BuiltinEntry } from '../catalog-types.js';
import { req } from './define.js';

const FM = ['function', 'method'] as const;

export const DATA_BUILTINS: BuiltinEntry[] = [
  // --- arrays --------------------------------------------------------------------------------
  {
    name: 'size', category: 'array', forms: ['property', 'method', 'function'], returns: 'number', provenance: 'D',
    params: [req('array', 'array')],
    description: 'The number of elements: of a pipe array (`"a|b|c"` has 3, "" has 0), of a dynamic array, or 1 for a dynamic object.',
    example: 'Names.size  // 4 for "Wes|Nate|Dan|Clay"',
  },
  {
    name: 'count', category: 'array', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('value', 'any')],
    description: 'Pipe or dynamic array: the number of elements; dynamic object: the number of members.',
    example: 'count("a|b|c")  // 3',
  },
  {
    name: 'index', category: 'array', forms: [...FM], returns: 'any', provenance: 'D',
    params: [req('array', 'array'), req('position', 'number', '1-based')],
    description: 'The element at 1-based `position` (same as `array[position]`); "" past the end.',
    example: 'index("Odin|Freya|Thor", 2)  // "Freya"',
  },
  {
    name: 'indexof', category: 'array', forms: [...FM], returns: 'number', provenance: 'D',
    params: [req('value', 'any', 'dynamic array, pipe array or text'), req('find', 'any')],
    description: 'Dynamic array or text with `|`: the 1-based index of the first element equal to `find`. Other text: the 1-based position of `find` in it. 0 when not found.',
    example: 'indexof("Odin|Freya|Thor", "Thor")  // 3',
  },
  {
    name: 'split', category: 'array', forms: [...FM], returns: 'array', provenance: 'I',
    params: [req('text', 'text'), req('separator', 'text', 'not empty')],
    description: 'The text split at every `separator`, as a pipe array.',
    example: 'split("a,b,c", ",")  // "a|b|c"',
  },
  {
    name: 'join', category: 'array', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('array', 'array'), req('separator', 'text')],
    description: 'The elements of a pipe or dynamic array joined with `separator`.',
    example: 'join("a|b|c", ", ")  // "a, b, c"',
  },
  // --- dynamic objects -----------------------------------------------------------------------
  {
    name: 'asjson', category: 'dynamic', forms: [...FM], returns: 'text', provenance: 'D',
    params: [req('value', 'any')],
    description: 'JSON text of a dynamic object: members in insertion order, no spacing, every scalar as a string, null as "", nested objects and arrays nested; cut at the dynamic size limit (32 KB) when longer.',
    example: 'o.asjson()  // {"count":"5","active":"true"}',
  },
  {
    name: 'asxml', category: 'dynamic', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('value', 'any')],
    description: 'XML text of a dynamic object: each member an element, array members repeated, a top-level array as <item> elements; cut at the dynamic size limit (32 KB) when longer.',
    example: 'o.asxml()  // <count>5</count><active>true</active>',
  },
  {
    name: 'parsejson', category: 'dynamic', forms: [...FM], returns: 'dynamic', provenance: 'I',
    params: [req('text', 'text', 'a JSON object or array')],
    description: 'A dynamic object from JSON text (same as `DYNAMIC x = text`); invalid JSON fails with SNIP3007 and its line:col.',
    example: 'parsejson("{\\"a\\":1}").a  // 1',
  },
  {
    name: 'parsexml', category: 'dynamic', forms: [...FM], returns: 'dynamic', provenance: 'I',
    params: [req('text', 'text', 'an XML document')],
    description: 'A dynamic object from XML text (the root element is its member); invalid XML fails with SNIP3008 and its line:col.',
    example: 'parsexml("<r><a>1</a></r>").r.a  // "1"',
  },
  {
    name: 'getvalue', category: 'dynamic', forms: [...FM], returns: 'any', provenance: 'I',
    params: [req('object', 'dynamic'), req('member', 'text', 'case-sensitive')],
    description: 'The member\'s value, or null (empty) when there is none; lets a script read a member whose name is in a variable.',
    example: 'o.getvalue("name")  // same as o.name',
  },
  {
    name: 'setvalue', category: 'dynamic', forms: [...FM], returns: 'dynamic', provenance: 'I',
    params: [req('object', 'dynamic'), req('member', 'text'), req('value', 'any')],
    description: 'Sets (or creates) the member in place and returns the object; `__type` is reserved (SNIP3009).',
    example: 'o.setvalue("name", "Beowulf")',
  },
  {
    name: 'remove', category: 'dynamic', forms: [...FM], returns: 'dynamic', provenance: 'I',
    params: [req('object', 'dynamic'), req('member', 'text')],
    description: 'Removes the member in place (no error when it is missing) and returns the object.',
    example: 'o.remove("name")',
  },
  {
    name: 'keys', category: 'dynamic', forms: [...FM], returns: 'array', provenance: 'I',
    params: [req('object', 'dynamic')],
    description: 'The member names in insertion order, as a pipe array ("" for anything else).',
    example: 'o.keys()  // "name|occupation|foe"',
  },
  {
    name: 'containskey', category: 'dynamic', forms: [...FM], returns: 'boolean', provenance: 'I',
    params: [req('object', 'dynamic'), req('member', 'text', 'case-sensitive')],
    description: 'Whether the dynamic object has the member.',
    example: 'o.containskey("name")  // true',
  },
  // --- encoding ------------------------------------------------------------------------------
  {
    name: 'urlencode', category: 'encoding', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'Percent-encodes UTF-8 for a URL component (RFC 3986: letters, digits and -_.~ stay; space is %20).',
    example: 'urlencode("a b&c")  // "a%20b%26c"',
  },
  {
    name: 'urldecode', category: 'encoding', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'Decodes %XX sequences (UTF-8) and `+` as a space; malformed sequences are kept as they are.',
    example: 'urldecode("a%20b+c")  // "a b c"',
  },
  {
    name: 'base64encode', category: 'encoding', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'Base64 of the text\'s UTF-8 bytes (the RestProxy method EncodeBase64 does the same).',
    example: 'base64encode("a:b")  // "YTpi"',
  },
  {
    name: 'base64decode', category: 'encoding', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'The UTF-8 text of Base64 (or Base64url) data; anything else is an invalid argument (SNIP3012).',
    example: 'base64decode("YTpi")  // "a:b"',
  },
  {
    name: 'escapejson', category: 'encoding', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'The text escaped for use inside a JSON string (quotes, backslashes, control characters), without the surrounding quotes.',
    example: 'escapejson("say \\"hi\\"")  // say \\"hi\\"',
  },
  {
    name: 'escapexml', category: 'encoding', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'The text with & < > " \' replaced by XML entities.',
    example: 'escapexml("a<b")  // "a&lt;b"',
  },
  // --- conversion and checks -----------------------------------------------------------------
  {
    name: 'asstring', category: 'conversion', forms: [...FM], returns: 'text', provenance: 'I', aliases: ['tostring'],
    params: [req('value', 'any')],
    description: 'The value as text (a dynamic object as its asjson text, a date in the default format, null as "").',
    example: 'asstring(12.50)  // "12.5"',
  },
  {
    name: 'isnull', category: 'conversion', forms: [...FM], returns: 'boolean', provenance: 'I',
    params: [req('value', 'any')],
    description: 'Whether the value is null: a variable or member never assigned.',
    example: 'isnull(neverAssigned)  // true',
  },
  {
    name: 'isempty', category: 'conversion', forms: [...FM], returns: 'boolean', provenance: 'I',
    params: [req('value', 'any')],
    description: 'Whether the value is null, "" or a dynamic object without members or elements.',
    example: 'isempty("")  // true',
  },
  // --- misc ----------------------------------------------------------------------------------
  {
    name: 'guid', category: 'misc', forms: ['function'], returns: 'text', provenance: 'I', aliases: ['newguid'], params: [],
    description: 'A new random version-4 GUID in lower case (drawn from the run\'s random source).',
    example: 'guid()  // e.g. "3f2b8c1e-9a4d-4e7f-8b21-0c5d6e7f8a9b"',
  },
  {
    name: 'savetodb', category: 'misc', forms: [...FM], returns: 'any', provenance: 'D',
    params: [req('value', 'any')],
    description: 'Studio saves the value to the platform database; Snipstudio has none, so it traces `savetodb` and returns the value unchanged.',
    example: 'x.savetodb()  // x',
  },
  {
    name: 'GetRESTProxy', category: 'restproxy', forms: ['function'], returns: 'restproxy', provenance: 'D', params: [],
    description: 'A new REST proxy object (see RestProxy) for HTTP calls from a snippet; the name is case-insensitive (`GetRestProxy`).',
    example: 'proxy = GetRESTProxy()',
  },
];
