// The catalog of Studio actions a `.studio` script may use: properties, branches, output variables.
// One source of truth for the analysis, the language server and the flow engine. Names follow
// Studio's own (property names, `...VarName` outputs, branch names); lookups are case-insensitive.

export interface ActionPropertySpec {
  name: string;
  required?: boolean;
  /** How the value is read: an expression evaluated at run time, or a variable *name*. */
  kind: 'expression' | 'variable-name' | 'choice';
  /** For `choice`: the allowed values. */
  choices?: string[];
  /** The value used when the property is absent (as Snippet text). */
  default?: string;
  description: string;
}

/** An output of an action: the property that renames it and the variable it writes by default. */
export interface ActionOutputSpec {
  property: string;
  defaultVariable: string;
  description: string;
}

export interface ActionSpec {
  /** Upper-case type name as written in `.studio` files. */
  type: string;
  description: string;
  properties: ActionPropertySpec[];
  /**
   * Branch names the action can take. `Default` is always accepted. CASE also takes one branch per
   * value (`caseValues`).
   */
  branches: string[];
  caseValues?: boolean;
  outputs: ActionOutputSpec[];
  /** The action has an inline Snippet body `{ ... }` (SNIPPET). */
  snippetBody?: boolean;
  /** The flow stops here (END, RETURN): no outgoing branches. */
  terminal?: boolean;
  /** The script's single entry point. */
  entry?: boolean;
  /** Performs I/O; the engine awaits it. */
  async?: boolean;
}

const MAX_STRING_SIZES = ['Limit2K', 'Limit4K', 'Limit8K', 'Limit16K', 'Limit32K'];

const CONNECT_BRANCHES = ['OnSuccess', 'OnError', 'OnTimeout'];

export const ACTIONS: readonly ActionSpec[] = [
  {
    type: 'BEGIN',
    description: 'The entry point of the script: receives the PARAMS and starts the flow.',
    properties: [],
    branches: [],
    outputs: [],
    entry: true,
  },
  {
    type: 'SNIPPET',
    description: 'Runs inline Snippet code. Takes Error when the code fails (the error text is in _ERR).',
    properties: [
      {
        name: 'MaxStringSize',
        kind: 'choice',
        choices: MAX_STRING_SIZES,
        default: 'Limit32K',
        description: 'Largest string any statement of the snippet may produce.',
      },
      { name: 'Caption', kind: 'expression', description: 'A caption shown in traces.' },
    ],
    branches: ['Error'],
    outputs: [],
    snippetBody: true,
  },
  {
    type: 'ASSIGN',
    description: 'Assigns a value to a variable. Takes Overflow when the value is longer than MaxStringSize.',
    properties: [
      { name: 'Variable', required: true, kind: 'variable-name', description: 'The variable to assign.' },
      { name: 'Value', required: true, kind: 'expression', description: 'The value (text, or an expression for Type Numeric).' },
      {
        name: 'Type',
        kind: 'choice',
        choices: ['String', 'Numeric', 'Datetime'],
        default: 'String',
        description: 'String keeps the text as written; Numeric evaluates it (1+1 gives 2); Datetime parses a date.',
      },
      {
        name: 'MaxStringSize',
        kind: 'choice',
        choices: MAX_STRING_SIZES,
        default: 'Limit2K',
        description: 'Largest value allowed before the Overflow branch is taken.',
      },
      { name: 'Caption', kind: 'expression', description: 'A caption shown in traces.' },
    ],
    branches: ['Overflow'],
    outputs: [],
  },
  {
    type: 'IF',
    description: 'Evaluates Expression and takes True or False.',
    properties: [{ name: 'Expression', required: true, kind: 'expression', description: 'A condition such as TOTAL >= 0.' }],
    branches: ['True', 'False'],
    outputs: [],
  },
  {
    type: 'CASE',
    description: 'Takes the branch named after the value of Variable, or Default when none matches.',
    properties: [{ name: 'Variable', required: true, kind: 'expression', description: 'The value that selects the branch.' }],
    branches: [],
    caseValues: true,
    outputs: [],
  },
  {
    type: 'RUNSUB',
    description: 'Runs another .studio script as a subscript; Global: variables are shared; RETURN gives a value back.',
    properties: [
      { name: 'ScriptName', required: true, kind: 'expression', description: 'The .studio file to run, relative to this script.' },
      {
        name: 'Parameters',
        kind: 'expression',
        description: 'Pipe-delimited values bound in order to the subscript\'s PARAMS.',
      },
      {
        name: 'ReturnVariable',
        kind: 'variable-name',
        default: 'subReturn',
        description: 'Receives the value of the subscript\'s RETURN action.',
      },
    ],
    branches: ['Error'],
    outputs: [],
    async: true,
  },
  {
    type: 'RETURN',
    description: 'Ends a subscript and gives ReturnValue back to the RUNSUB that called it.',
    properties: [{ name: 'ReturnValue', kind: 'expression', description: 'The value returned.' }],
    branches: [],
    outputs: [],
    terminal: true,
  },
  {
    type: 'WAIT',
    description: 'Pauses the flow for a number of milliseconds (ends early when the run is aborted).',
    properties: [{ name: 'Milliseconds', required: true, kind: 'expression', description: 'How long to wait.' }],
    branches: [],
    outputs: [],
    async: true,
  },
  {
    type: 'END',
    description: 'Ends the script.',
    properties: [],
    branches: [],
    outputs: [],
    terminal: true,
  },
  {
    type: 'CONNECTAUTH',
    description: 'Authenticates an Integration Hub connection with its configured authentication.',
    properties: [
      { name: 'connectName', required: true, kind: 'expression', description: 'The connection to authenticate.' },
      { name: 'Caption', kind: 'expression', description: 'A caption shown in traces.' },
    ],
    branches: CONNECT_BRANCHES,
    outputs: [
      { property: 'authBodyVarName', defaultVariable: 'authBody', description: 'The authentication response body.' },
      { property: 'authErrorDetailsVarName', defaultVariable: 'authErrorDetails', description: 'Error details when it fails.' },
      { property: 'authHeadersListVarName', defaultVariable: 'authHeadersList', description: 'The authorization headers.' },
      { property: 'authProxyVarName', defaultVariable: 'authProxy', description: 'The authorization proxy.' },
    ],
    async: true,
  },
  {
    type: 'CONNECTREQUEST',
    description: 'Executes a request of an Integration Hub connection (manual by name, or studio with requestPayload).',
    properties: [
      { name: 'connectName', required: true, kind: 'expression', description: 'The connection.' },
      { name: 'requestName', required: true, kind: 'expression', description: 'A request configured on the connection.' },
      {
        name: 'requestPayload',
        kind: 'expression',
        description: 'For studio requests: JSON with URL, HTTPMETHOD, HEADERS, QUERYPARAMETERS, BODY (build it with asjson()).',
      },
      { name: 'Caption', kind: 'expression', description: 'A caption shown in traces.' },
    ],
    branches: CONNECT_BRANCHES,
    outputs: [
      { property: 'requestBodyVarName', defaultVariable: 'requestBody', description: 'The response body (a dynamic object for JSON).' },
      { property: 'requestErrorDetailsVarName', defaultVariable: 'requestErrorDetails', description: 'Error details when it fails.' },
      { property: 'requestHeadersListVarName', defaultVariable: 'requestHeadersList', description: 'The response headers.' },
      { property: 'requestProxyVarName', defaultVariable: 'requestProxy', description: 'The request proxy (status code and description).' },
    ],
    async: true,
  },
  {
    type: 'RESTAPI',
    description: 'Synchronous REST call returning body and headers (JSON responses only; 32 KB cap).',
    properties: [
      { name: 'URL', required: true, kind: 'expression', description: 'The endpoint.' },
      { name: 'Verb', kind: 'expression', default: 'GET', description: 'The HTTP method.' },
      { name: 'Headers', kind: 'expression', description: 'Request headers as JSON text.' },
      { name: 'Body', kind: 'expression', description: 'The request body (JSON on a single line).' },
      { name: 'TimeoutMs', kind: 'expression', default: '10000', description: 'Timeout in milliseconds (at most 90000).' },
    ],
    branches: CONNECT_BRANCHES,
    outputs: [{ property: 'resultSetVarName', defaultVariable: 'resultSet', description: 'The response (body and headers).' }],
    async: true,
  },
];

const BY_TYPE = new Map(ACTIONS.map((a) => [a.type.toLowerCase(), a]));

/** The spec of an action type, case-insensitively, or undefined for an unknown type. */
export function findAction(type: string): ActionSpec | undefined {
  return BY_TYPE.get(type.toLowerCase());
}

/** The property spec of an action, case-insensitively. */
export function findActionProperty(spec: ActionSpec, name: string): ActionPropertySpec | ActionOutputSpec | undefined {
  const key = name.toLowerCase();
  return (
    spec.properties.find((p) => p.name.toLowerCase() === key) ?? spec.outputs.find((o) => o.property.toLowerCase() === key)
  );
}

/** Every branch name an action accepts besides CASE values: Default plus its own. */
export function branchNames(spec: ActionSpec): string[] {
  return spec.terminal ? [] : ['Default', ...spec.branches];
}

/** Variables the runtime sets itself; reading them before assignment is not a mistake. */
export const SYSTEM_VARIABLES: readonly string[] = ['_ERR', '__err', '__httpstatuscode', '__httpstatusdescription'];
