// What the adapter announces in its initialize response (docs/debugging.md lists the same).
import type { DebugProtocol } from '@vscode/debugprotocol';

export const CAPABILITIES: DebugProtocol.Capabilities = {
  supportsConfigurationDoneRequest: true,
  supportsFunctionBreakpoints: true,
  supportsConditionalBreakpoints: true,
  supportsHitConditionalBreakpoints: true,
  supportsLogPoints: true,
  supportsEvaluateForHovers: true,
  supportsSetVariable: true,
  supportsRestartRequest: true,
  supportsTerminateRequest: true,
  supportsExceptionInfoRequest: true,
  supportsDelayedStackTraceLoading: false,
  exceptionBreakpointFilters: [
    { filter: 'all', label: 'Every error', default: false, description: 'Stop when any action or statement fails' },
    { filter: 'uncaught', label: 'Errors with no Error branch wired', default: true, description: 'Stop when a failure would fall through' },
  ],
};
