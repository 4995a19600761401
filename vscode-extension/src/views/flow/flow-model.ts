// Entry of dist/flow-model.js: the parser and the graph builder, loaded by the extension only when a
// flow diagram opens, so activation never pays for the parser.
import { parseStudio } from '../../../../language/parse';
import { flowGraph, type FlowGraph } from './graph';

/** Parses a .studio source and returns its graph. */
export function buildFlowGraph(source: string): FlowGraph {
  return flowGraph(parseStudio(source).value);
}
