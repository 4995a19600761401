// The hub tree's model, pure (no `vscode`): what `snip hub ... --json` reports in, tree items out.
// Templates (auth type, verbs), connections (pending/authorized, timeout, auth kind), secrets by name
// only, requests (manual/studio, active/inactive). A secret item carries its name and nothing else:
// the CLI never returns a value, and this model has no field that could hold one.

export interface HubTemplate {
  name: string;
  application?: string;
  authType?: string;
  verbs?: string[];
  description?: string;
}

export interface HubRequest {
  name: string;
  trigger?: string;
  active?: boolean;
  method?: string;
  url?: string;
}

export interface HubConnection {
  name: string;
  template?: string;
  status?: string;
  timeoutMs?: number;
  /** Names only (`connection list` gives strings, `connection show` objects with a name). */
  secrets?: (string | { name: string })[];
  requests?: HubRequest[] | number;
}

export interface HubSnapshot {
  templates: HubTemplate[];
  connections: HubConnection[];
  /** Why the hub could not be read (no hub folder yet, a broken file ...). */
  error?: string;
}

export type HubItemKind = 'group' | 'template' | 'connection' | 'secrets' | 'secret' | 'requests' | 'request' | 'message';

export interface HubItem {
  /** Stable across refreshes (VS Code keeps expansion state by id). */
  id: string;
  kind: HubItemKind;
  label: string;
  description?: string;
  tooltip?: string;
  /** For `when` clauses of context menus, e.g. `request.manual.active`. */
  contextValue: string;
  /** A codicon name. */
  icon: string;
  connection?: string;
  name?: string;
  children?: HubItem[];
}

const AUTH_LABELS: Record<string, string> = {
  none: 'no auth',
  basic: 'basic',
  'oauth2-client-credentials': 'OAuth 2.0 client credentials',
  'oauth2-password': 'OAuth 2.0 password',
  'custom-headers': 'custom headers',
};

export function authLabel(kind: string | undefined): string {
  return kind ? (AUTH_LABELS[kind] ?? kind) : 'unknown auth';
}

function templateItem(t: HubTemplate): HubItem {
  const verbs = (t.verbs ?? []).join(', ');
  return {
    id: `template:${t.name}`,
    kind: 'template',
    label: t.name,
    description: `${authLabel(t.authType)} · ${verbs || 'no verbs'}`,
    tooltip: [`Template ${t.name}`, t.application ? `Application: ${t.application}` : '', `Authentication: ${authLabel(t.authType)}`, `Verbs: ${verbs}`, t.description ?? ''].filter(Boolean).join('\n'),
    contextValue: 'template',
    icon: 'symbol-class',
    name: t.name,
  };
}

function requestItem(conn: string, r: HubRequest): HubItem {
  const trigger = r.trigger === 'manual' ? 'manual' : 'studio';
  const active = r.active !== false;
  return {
    id: `request:${conn}\u0000${r.name}`,
    kind: 'request',
    label: r.name,
    description: `${trigger}${r.method ? ` ${r.method}` : ''}${active ? '' : ' · inactive'}`,
    tooltip: `${trigger === 'manual' ? 'Manual request (testable from the hub)' : 'Studio request (the script sends the payload)'}${active ? '' : '\nInactive: refuses to run'}`,
    contextValue: `request.${trigger}.${active ? 'active' : 'inactive'}`,
    icon: active ? (trigger === 'manual' ? 'send' : 'symbol-event') : 'circle-slash',
    connection: conn,
    name: r.name,
  };
}

function connectionItem(c: HubConnection, templates: Map<string, HubTemplate>): HubItem {
  const auth = authLabel(templates.get(c.template ?? '')?.authType);
  const status = c.status ?? 'pending';
  const secretNames = (c.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.name)).sort((a, b) => a.localeCompare(b));
  const requests = Array.isArray(c.requests) ? c.requests : [];
  const timeout = c.timeoutMs !== undefined ? `${c.timeoutMs} ms` : undefined;
  return {
    id: `connection:${c.name}`,
    kind: 'connection',
    label: c.name,
    description: [status, timeout, auth].filter(Boolean).join(' · '),
    tooltip: [`Connection ${c.name}`, `Template: ${c.template ?? '?'}`, `Authentication: ${auth}`, `Status: ${status}`, timeout ? `Timeout: ${timeout}` : ''].filter(Boolean).join('\n'),
    contextValue: `connection.${status === 'authorized' ? 'authorized' : 'pending'}`,
    icon: status === 'authorized' ? 'pass-filled' : 'clock',
    connection: c.name,
    name: c.name,
    children: [
      {
        id: `secrets:${c.name}`,
        kind: 'secrets',
        label: 'Secrets',
        description: String(secretNames.length),
        contextValue: 'secrets',
        icon: 'lock',
        connection: c.name,
        children: secretNames.map((name) => ({
          id: `secret:${c.name}\u0000${name}`,
          kind: 'secret' as const,
          label: name,
          description: 'write-only',
          tooltip: `Secret "${name}": write-only; reference it as [[ ${name} ]]`,
          contextValue: 'secret',
          icon: 'key',
          connection: c.name,
          name,
        })),
      },
      {
        id: `requests:${c.name}`,
        kind: 'requests',
        label: 'Requests',
        description: String(Array.isArray(c.requests) ? c.requests.length : (c.requests ?? 0)),
        contextValue: 'requests',
        icon: 'list-unordered',
        connection: c.name,
        children: requests.map((r) => requestItem(c.name, r)),
      },
    ],
  };
}

/**
 * The whole tree: a Templates group and a Connections group, or one message when the hub is
 * unreadable, or nothing for an empty hub (the view then shows its welcome text).
 */
export function hubTree(s: HubSnapshot): HubItem[] {
  if (s.error) return [{ id: 'message', kind: 'message', label: s.error, contextValue: 'message', icon: 'info' }];
  if (!s.templates.length && !s.connections.length) return [];
  const templates = new Map(s.templates.map((t) => [t.name, t]));
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return [
    {
      id: 'group:templates',
      kind: 'group',
      label: 'Templates',
      description: String(s.templates.length),
      contextValue: 'group.templates',
      icon: 'symbol-namespace',
      children: [...s.templates].sort(byName).map(templateItem),
    },
    {
      id: 'group:connections',
      kind: 'group',
      label: 'Connections',
      description: String(s.connections.length),
      contextValue: 'group.connections',
      icon: 'plug',
      children: [...s.connections].sort(byName).map((c) => connectionItem(c, templates)),
    },
  ];
}
