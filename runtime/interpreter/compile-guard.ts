// The compiler's last line of defence: whatever escapes compiling a parsed script (the host stack
// running out on pathological input, a compiler bug) becomes a diagnostic, so `compile()` and
// `runScript()` keep their promise never to throw.
import type { Range } from '../../language/ast.js';
import { diagnostic, type Diagnostic } from '../../language/diagnostics.js';

/** A diagnostic for an exception thrown while compiling code that parsed cleanly. */
export function compileFailure(e: unknown, range: Range): Diagnostic {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return diagnostic('SNIP1028', 'the code is nested too deeply to compile: split it into smaller expressions or functions', range);
  }
  return diagnostic('SNIP3018', `the code could not be compiled (internal error: ${e instanceof Error ? e.message : String(e)})`, range);
}

/** Runs `build`; on an exception returns undefined and reports it through `report`. */
export function guardCompile<T>(build: () => T, range: Range, report: (d: Diagnostic) => void): T | undefined {
  try {
    return build();
  } catch (e) {
    report(compileFailure(e, range));
    return undefined;
  }
}
