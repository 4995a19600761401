// Conversions, checks and the built-ins that fit no category (guid, savetodb).
import { toJsonText } from '../json.js';
import { Dyn, toText } from '../values.js';
import { capText } from './args.js';
import type { BuiltinContext, BuiltinImpl } from './types.js';

/** A version-4 GUID from the run's random source, so seeded runs are reproducible. */
function guid(ctx: BuiltinContext): string {
  const b = Array.from({ length: 16 }, () => Math.floor(ctx.random() * 256) & 0xff);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const MISC_IMPLS: Record<string, BuiltinImpl> = {
  asstring: ([v], ctx) => (v instanceof Dyn ? toJsonText(v, ctx.limits) : capText('asstring', toText(v ?? null), ctx)),
  isnull: ([v]) => v === null || v === undefined,
  isempty: ([v]) =>
    v === null || v === undefined || v === '' || (v instanceof Dyn && v.members.size === 0 && (v.items?.length ?? 0) === 0),
  guid: (_args, ctx) => guid(ctx),
  savetodb: ([v], ctx) => {
    ctx.trace('savetodb: no platform database in Snipstudio; the value is kept in the run only');
    return v ?? null;
  },
};
