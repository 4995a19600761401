// When a step ends. Depth counts frames: a flow's actions are at its subscript depth, a SNIPPET's own
// statements share their action's depth, and each user-function call adds one.
/** A step request, remembered from where the run was paused. */
export interface Step {
  kind: 'over' | 'in' | 'out';
  /** Depth of the paused place. */
  depth: number;
  /** Paused on an action line (not on a statement). */
  fromAction: boolean;
  /** Function depth of the paused statement (0: a SNIPPET's own statements). */
  fnDepth: number;
}

/**
 * Whether `step` ends at a place of `depth` (an action when `atAction`). Over: the next place at the
 * same or an outer depth, skipping a whole action's inside when started on its line. In: anywhere.
 * Out: an outer depth; from a SNIPPET's own statements, the flow's next action.
 */
export function stepEnds(step: Step, depth: number, atAction: boolean): boolean {
  switch (step.kind) {
    case 'in':
      return true;
    case 'over':
      return step.fromAction ? (atAction ? depth <= step.depth : depth < step.depth) : depth <= step.depth;
    case 'out':
      if (!step.fromAction && step.fnDepth === 0) return atAction ? depth <= step.depth : depth < step.depth;
      return depth < step.depth;
  }
}
