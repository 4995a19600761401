// Writes docs/builtins.md from the compiled catalog (run through `npm run gen:docs`, which builds first).
import { writeFileSync } from 'node:fs';
import { BUILTINS, HOST_TYPES } from '../dist/language/catalog.js';
import { renderBuiltinsDoc } from '../dist/language/catalog/docs.js';

const target = new URL('../docs/builtins.md', import.meta.url);
writeFileSync(target, renderBuiltinsDoc(BUILTINS, HOST_TYPES));
process.stdout.write('wrote docs/builtins.md\n');
