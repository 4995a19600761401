// BEGIN: the entry point; the PARAMS are already bound when it runs, so it only takes Default.
import type { ActionHandler } from '../types.js';
import { DEFAULT } from './outcome.js';

export const beginAction: ActionHandler = {
  type: 'BEGIN',
  compile: () => ({ run: () => DEFAULT }),
};
