// `snip hub`: manages the embedded integration hub (templates, connections, secrets, requests).
// Dispatches to one module per noun under ../hub; `init` and `rotate-key` live here.
import { EXIT, UsageError, type CliIO, type Command } from '../io.js';
import { parseKey } from '../../runtime/hub/secret-box.js';
import { guarded, hubShown, open, print, takePositionals } from '../hub/context.js';
import { runTemplate } from '../hub/templates.js';
import { runConnection } from '../hub/connections.js';
import { runAuth } from '../hub/auth.js';
import { runSecret } from '../hub/secrets.js';
import { runRequest } from '../hub/requests.js';
import { runExport, runImport } from '../hub/transfer.js';

const HELP = `snip hub: manage the integration hub (templates, connections, secrets, requests)

Usage: snip hub <command> [arguments] [--hub DIR] [--database postgres://URL --tenant T] [--json]

  init                                    create the hub folder (hub/, .gitignore, hub.json)
  template create NAME --application APP --auth KIND --verbs GET,POST,...
                  [--header NAME[:required]]... [--description TEXT] [--icon FILE]
                                          KIND: none, basic, oauth2-client-credentials,
                                          oauth2-password, custom-headers. Templates cannot change.
  template list | template show NAME
  connection create NAME --template T [--timeout MS] [--resource-domain URL] [--ca-bundle FILE]
  connection update NAME [--timeout MS] [--resource-domain URL | --no-resource-domain]
                  [--ca-bundle FILE | --no-ca-bundle]
                  [--client-cert FILE --client-key FILE [--passphrase-secret NAME] | --no-client-cert]
                                          change a connection in place (also repairs a file that
                                          breaks one of those rules)
  connection list | connection show NAME  list warns about hub files that do not load
  connection delete NAME [--force] [--scripts DIR]
                                          refused while a .studio file under DIR (default: the
                                          current folder) uses it (--force overrides)
  auth set CONN --url URL --method VERB [--header NAME=VALUE]... [--query NAME=VALUE]...
                [--media-type TYPE] [--body TEXT] [--token-field NAME]
                [--client-cert FILE --client-key FILE [--passphrase-secret NAME]] [--no-client-cert]
  auth test CONN                          authenticate once and print the (masked) answer
  secret set CONN NAME                    value from standard input, or a masked prompt
  secret list CONN                        names, fingerprints and change times only
                                          (SNIP4009 when the hub key does not match)
  secret delete CONN NAME [--force] [--scripts DIR]
                                          refused while the connection or a script uses it
  request add CONN NAME --trigger manual|studio [--url URL --method VERB] [--header NAME=VALUE]...
                [--query NAME=VALUE]... [--media-type TYPE] [--body TEXT] [--inactive]
  request list CONN | request show CONN NAME
  request activate CONN NAME | request deactivate CONN NAME | request delete CONN NAME
  request test CONN NAME                  send a manual request once (secrets masked)
  rotate-key                              re-encrypt every secret under a new key (on PostgreSQL:
                                          every record of the tenant in one transaction)
  export --to postgres://URL --tenant T | --to FILE [--replace]
                                          copy this hub to a tenant in PostgreSQL or a bundle file
  import --from postgres://URL --tenant T | --from FILE [--replace]
                                          copy a tenant's hub (or a bundle file) into this hub
                                          (secrets move encrypted; the same key reads them)

Options:
  --hub DIR             the hub folder (default: SNIP_HUB, else ./hub)
  --database URL        work on a tenant's hub in PostgreSQL (the one 'snip serve' with "database"
                        uses) instead of the folder; with --tenant. Default URL: SNIP_DATABASE_URL
  --tenant T            the tenant whose hub to change (selects PostgreSQL; needs --database or
                        SNIP_DATABASE_URL)
  --json                machine-readable output (errors as {"error": {code, message}})

On PostgreSQL every command (init, export and import excepted: they work on the folder) takes the
same arguments, follows the same rules and prints the same output as on a folder. The key still
comes from the hub folder: DIR/.hubkey (--hub DIR, SNIP_HUB, ./hub) or SNIP_HUB_KEY, the same key
file the service's tenant config names ("hub": DIR). The database must be migrated first
('snip serve migrate'; SNIP6031 otherwise); an unreachable database is SNIP6030, a refused command
SNIP4065. The URL is never printed.

Secret values are encrypted with AES-256-GCM. The key comes from SNIP_HUB_KEY (32 bytes as base64
or hex) or from DIR/.hubkey, created once on first use (mode 0600, git-ignored; only rotate-key replaces it). Secret
values never appear in any output. Secrets are referenced as [[ name ]] in URLs, headers, query
and bodies. Commands may run at the same time: every write holds the hub's lock (DIR/.lock).
A missing hub folder is an error (SNIP4040): create one with 'snip hub init'.

Exit codes: 0 success, 1 hub error (snip hub: error SNIP4xxx: ...), 2 usage error.
`;

/** `snip hub init`. */
async function init(args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, {}, true);
  return guarded(ctx, async () => {
    takePositionals(ctx, []);
    const hub = ctx.folder;
    const created = await hub.init();
    print(ctx, { hub: hub.shown, id: hub.id, created }, created ? `initialized hub in ${hub.shown}` : `hub in ${hub.shown} already initialized`);
    return EXIT.ok;
  });
}

/**
 * `snip hub rotate-key`: a new key file, or SNIP_HUB_NEW_KEY when the key comes from SNIP_HUB_KEY.
 * On a tenant in PostgreSQL every record is re-encrypted in one transaction (PgHubStore.rotateKey).
 */
async function rotateKey(args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, {});
  return guarded(ctx, async () => {
    takePositionals(ctx, []);
    const next = io.env.SNIP_HUB_NEW_KEY ? parseKey(io.env.SNIP_HUB_NEW_KEY, 'SNIP_HUB_NEW_KEY') : undefined;
    const r = await (ctx.pg ? ctx.pg.store : ctx.folder).rotateKey(next);
    const then = r.keyFile ? `the new key is in ${ctx.folder.shown}/.hubkey` : 'now set SNIP_HUB_KEY to the value of SNIP_HUB_NEW_KEY';
    const of = ctx.pg ? ` of ${hubShown(ctx)}` : '';
    print(ctx, r, `re-encrypted ${r.secrets} secret(s) of ${r.connections} connection(s)${of} under key ${r.keyId}; ${then}`);
    return EXIT.ok;
  });
}

export const command: Command = {
  summary: 'manage the integration hub: templates, connections, secrets, requests',
  help: HELP,
  async run(args, io) {
    const [noun, ...rest] = args;
    switch (noun) {
      case 'init':
        return init(rest, io);
      case 'rotate-key':
        return rotateKey(rest, io);
      case 'template':
        return runTemplate(rest[0], rest.slice(1), io);
      case 'connection':
        return runConnection(rest[0], rest.slice(1), io);
      case 'auth':
        return runAuth(rest[0], rest.slice(1), io);
      case 'secret':
        return runSecret(rest[0], rest.slice(1), io);
      case 'request':
        return runRequest(rest[0], rest.slice(1), io);
      case 'export':
        return runExport(rest, io);
      case 'import':
        return runImport(rest, io);
      case undefined:
        io.stdout(HELP);
        return EXIT.usage;
      default:
        throw new UsageError(`unknown hub command '${noun}' (init, template, connection, auth, secret, request, rotate-key, export, import)`);
    }
  },
};
