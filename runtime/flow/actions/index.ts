// The registry of action types. Each action lives in its own file; hosts and later actions
// (CONNECTAUTH, CONNECTREQUEST, RESTAPI from the hub) add theirs with `withActions`.
import type { ActionHandler } from '../types.js';
import { assignAction } from './assign.js';
import { beginAction } from './begin.js';
import { caseAction } from './case.js';
import { connectAuthAction } from './connect-auth.js';
import { connectRequestAction } from './connect-request.js';
import { endAction } from './end.js';
import { ifAction } from './if.js';
import { restApiAction } from './rest-api.js';
import { returnAction } from './return.js';
import { runsubAction } from './runsub.js';
import { snippetAction } from './snippet.js';
import { waitAction } from './wait.js';

/** Action types by upper-case name. Immutable once built: runs only read it. */
export class ActionRegistry {
  private readonly byType: ReadonlyMap<string, ActionHandler>;
  constructor(handlers: readonly ActionHandler[]) {
    this.byType = new Map(handlers.map((h) => [h.type.toUpperCase(), h]));
  }
  get(type: string): ActionHandler | undefined {
    return this.byType.get(type.toUpperCase());
  }
  types(): string[] {
    return [...this.byType.keys()];
  }
  /** A new registry with `extra` added (replacing same-named types). */
  withActions(extra: readonly ActionHandler[]): ActionRegistry {
    return new ActionRegistry([...this.byType.values(), ...extra]);
  }
}

/** The actions of the flow engine itself. */
export const CORE_ACTIONS: readonly ActionHandler[] = [
  beginAction,
  snippetAction,
  assignAction,
  ifAction,
  caseAction,
  runsubAction,
  returnAction,
  waitAction,
  endAction,
  connectAuthAction,
  connectRequestAction,
  restApiAction,
];

/** The registry used when a host passes none. */
export const defaultActions = new ActionRegistry(CORE_ACTIONS);
