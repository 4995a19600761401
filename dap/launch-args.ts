// The launch.json fields of debug type `snip`, checked at the boundary: a bad field is one clear
// error message (never a stack trace), and relative paths resolve against `cwd`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseMaxStringSize, type RunLimitsInput } from '../runtime/interpreter/api.js';
import type { TraceLevel } from '../runtime/trace/events.js';

/** What a client may put in a `snip` launch configuration (docs/debugging.md). */
export interface SnipLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The `.snip` or `.studio` file to run. */
  program?: string;
  /** Variables preset before the run (the PARAMS), as JSON. */
  inputs?: Record<string, unknown>;
  /** A JSON file holding such an object; `inputs` wins over it. */
  inputsFile?: string;
  /** The integration hub folder (default: SNIP_HUB, then `hub` under `cwd`). */
  hub?: string;
  stopOnEntry?: boolean;
  /** Trace events shown in the Debug Console: off (TRACE output only), actions (default), statements. */
  trace?: TraceLevel;
  limits?: { maxSteps?: number; maxTimeMs?: number; maxCallDepth?: number; maxStringSize?: number | string };
  /** Folder that relative paths start from (default: the program's folder). */
  cwd?: string;
}

/** Launch arguments after checking. */
export interface CheckedLaunch {
  program: string;
  cwd: string;
  inputs: Record<string, unknown>;
  hub: string | undefined;
  stopOnEntry: boolean;
  trace: TraceLevel;
  limits: RunLimitsInput;
}

/** A launch configuration problem, shown to the user as is. */
export class LaunchError extends Error {
  override name = 'LaunchError';
  readonly code = 'SNIP3041';
}

const LEVELS: readonly TraceLevel[] = ['off', 'actions', 'statements'];
const LIMIT_KEYS = ['maxSteps', 'maxTimeMs', 'maxCallDepth'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks and resolves launch arguments.
 * @throws LaunchError naming the field at fault.
 */
export async function checkLaunch(args: SnipLaunchArguments): Promise<CheckedLaunch> {
  if (typeof args.program !== 'string' || args.program.trim() === '') throw new LaunchError("'program' must name a .snip or .studio file");
  const base = typeof args.cwd === 'string' ? path.resolve(args.cwd) : process.cwd();
  const program = path.resolve(base, args.program);
  if (!/\.(?:snip|studio)$/i.test(program)) throw new LaunchError(`'program' must be a .snip or .studio file, not ${path.basename(program)}`);
  try {
    await fs.access(program);
  } catch {
    throw new LaunchError(`cannot read the program ${args.program}`);
  }
  const cwd = typeof args.cwd === 'string' ? base : path.dirname(program);
  const inputs: Record<string, unknown> = Object.create(null);
  if (args.inputsFile !== undefined) {
    if (typeof args.inputsFile !== 'string') throw new LaunchError("'inputsFile' must be a path");
    let data: unknown;
    try {
      data = JSON.parse(await fs.readFile(path.resolve(cwd, args.inputsFile), 'utf8'));
    } catch (e) {
      throw new LaunchError(`'inputsFile' ${args.inputsFile} cannot be read as JSON: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!isObject(data)) throw new LaunchError(`'inputsFile' ${args.inputsFile} must hold a JSON object of variable names to values`);
    Object.assign(inputs, data);
  }
  if (args.inputs !== undefined) {
    if (!isObject(args.inputs)) throw new LaunchError("'inputs' must be an object of variable names to values");
    Object.assign(inputs, args.inputs);
  }
  const trace = args.trace ?? 'actions';
  if (!LEVELS.includes(trace)) throw new LaunchError(`'trace' must be off, actions or statements, not '${String(trace)}'`);
  const limits: RunLimitsInput = {};
  if (args.limits !== undefined) {
    if (!isObject(args.limits)) throw new LaunchError("'limits' must be an object");
    for (const k of LIMIT_KEYS) {
      const v = args.limits[k];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new LaunchError(`'limits.${k}' must be a positive whole number`);
      limits[k] = v;
    }
    const size = args.limits.maxStringSize;
    if (size !== undefined) {
      if ((typeof size !== 'number' && typeof size !== 'string') || parseMaxStringSize(size) === undefined) {
        throw new LaunchError("'limits.maxStringSize' must be a byte count or Limit2K ... Limit32K");
      }
      limits.maxStringSize = size;
    }
  }
  if (args.hub !== undefined && typeof args.hub !== 'string') throw new LaunchError("'hub' must be a folder path");
  return {
    program,
    cwd,
    inputs,
    hub: args.hub !== undefined ? path.resolve(cwd, args.hub) : undefined,
    stopOnEntry: args.stopOnEntry === true,
    trace,
    limits,
  };
}
