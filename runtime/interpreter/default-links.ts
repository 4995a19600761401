// Installs the real catalog, built-in implementations and text parsers into the interpreter.
// Imported for its effect by the public entry points (runtime/compile.ts, the flow engine).
import { HOST_TYPES, findBuiltin } from '../../language/catalog.js';
import { BUILTIN_IMPLS } from '../builtins/index.js';
import { parseDateText } from '../dates.js';
import { parseJsonToDyn } from '../json.js';
import { parseXmlToDyn } from '../xml.js';
import { installLinks } from './links.js';

installLinks({
  findBuiltin,
  hostTypes: HOST_TYPES,
  impls: BUILTIN_IMPLS,
  parseDateText,
  parseJson: (text, maxBytes) => parseJsonToDyn(text, maxBytes),
  parseXml: (text, maxBytes) => parseXmlToDyn(text, maxBytes),
});
