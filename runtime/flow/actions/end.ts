// END: ends the flow; the run's outputs are the variables at this point.
import type { ActionHandler, ActionOutcome } from '../types.js';

const ENDED: ActionOutcome = Object.freeze({ branch: 'Default', end: 'end' });

export const endAction: ActionHandler = {
  type: 'END',
  compile: () => ({ run: () => ENDED }),
};
