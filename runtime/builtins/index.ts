// Every built-in implementation, keyed by the lower-case canonical catalog name (aliases resolve
// through the catalog). test/runtime/builtins/registry.test.ts keeps this and the catalog in step.
import { ARRAY_IMPLS } from './arrays.js';
import { DATE_IMPLS } from './dates.js';
import { DYNAMIC_IMPLS } from './dynamic.js';
import { ENCODING_IMPLS } from './encoding.js';
import { MISC_IMPLS } from './misc.js';
import { NUMBER_IMPLS } from './numbers.js';
import { createRestProxy } from './rest-proxy.js';
import { STRING_IMPLS } from './strings.js';
import type { BuiltinImpl } from './types.js';

export { createRestProxy };
export type { ProxySender } from './rest-proxy.js';

/** Implementations by lower-case canonical name. */
export const BUILTIN_IMPLS: ReadonlyMap<string, BuiltinImpl> = new Map<string, BuiltinImpl>(
  Object.entries({
    ...STRING_IMPLS,
    ...NUMBER_IMPLS,
    ...DATE_IMPLS,
    ...ARRAY_IMPLS,
    ...DYNAMIC_IMPLS,
    ...ENCODING_IMPLS,
    ...MISC_IMPLS,
    getrestproxy: (_args, ctx) => createRestProxy(ctx),
  } satisfies Record<string, BuiltinImpl>),
);
