// Branch selection: the taken branch when wired, else Default, else the next action in the file
// (undefined past the last action, which ends the flow like END).
import type { FlowNode } from './types.js';

/** Index of the node that runs after `node` took `branch`, or undefined when the flow ends. */
export function nextNode(node: FlowNode, branch: string, count: number): number | undefined {
  if (node.terminal) return undefined;
  const wired = node.branches.get(branch.toLowerCase()) ?? node.branches.get('default');
  if (wired !== undefined) return wired;
  return node.index + 1 < count ? node.index + 1 : undefined;
}
