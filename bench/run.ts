// Benchmark dispatcher: `npm run bench -- <name> [args...]` runs bench/<name>.ts's `main(args)`.
// Without a name it runs every benchmark present. Each prints its own table, peers side by side.
const KNOWN = ['parse', 'interp', 'lsp', 'hub', 'http', 'trace', 'serve', 'dap', 'vscode', 'scale'];

type Bench = { main(args: string[]): Promise<void> | void };

async function load(name: string): Promise<Bench | undefined> {
  try {
    return (await import(`./${name}.js`)) as Bench;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

const [name, ...args] = process.argv.slice(2);
if (name !== undefined && !/^[a-z][a-z0-9-]*$/.test(name)) {
  process.stderr.write('usage: npm run bench -- [<name> [args...]]\n');
  process.exit(2);
}
for (const n of name === undefined ? KNOWN : [name]) {
  const mod = await load(n);
  if (mod === undefined) {
    if (name !== undefined) {
      process.stderr.write(`bench: no benchmark named '${n}' (expected bench/${n}.ts)\n`);
      process.exit(2);
    }
    continue;
  }
  await mod.main(name === undefined ? [] : args);
}
