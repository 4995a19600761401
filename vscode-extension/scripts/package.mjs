// `npm run package` (root): installs the extension's own dependencies when missing, bundles, and packs
// vscode-extension/snipstudio-<version>.vsix offline with vsce (--no-dependencies: all is bundled).
// Prints the path and size, and fails when the .vsix holds what it must not or exceeds 3 MB.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { cwd: ext, stdio: 'inherit' });
  } catch {
    // The tool has printed its own error above; a stack trace here would only hide it.
    console.error(`package: ${path.basename(args[0] ?? cmd)} failed`);
    process.exit(1);
  }
};

if (!existsSync(path.join(ext, 'node_modules', '.bin', 'vsce')) || !existsSync(path.join(ext, 'node_modules', 'esbuild'))) {
  run(npm, ['ci', '--no-audit', '--no-fund']);
}
const { version } = JSON.parse(readFileSync(path.join(ext, 'package.json'), 'utf8'));
const vsix = path.join(ext, `snipstudio-${version}.vsix`);
run(process.execPath, ['esbuild.mjs']);
run(process.execPath, [path.join(ext, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix]);

// The listing of the zip's central directory: enough to check names without an unzip library.
const zip = readFileSync(vsix);
const names = [];
for (let i = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])), n = zip.readUInt16LE(i + 10), at = zip.readUInt32LE(i + 16), k = 0; k < n; k++) {
  const len = zip.readUInt16LE(at + 28);
  names.push(zip.toString('utf8', at + 46, at + 46 + len));
  at += 46 + len + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
}
const bad = names.filter((n) => /(^|\/)node_modules\/|\.map$|(^|\/)(test|src)\/|\.test\.|\.ts$/.test(n));
const size = statSync(vsix).size;
console.log(`${path.relative(process.cwd(), vsix) || vsix}: ${(size / 1024 / 1024).toFixed(2)} MB, ${names.length} files`);
if (bad.length) {
  console.error(`the .vsix must not hold: ${bad.join(', ')}`);
  process.exit(1);
}
if (size > 3 * 1024 * 1024) {
  console.error('the .vsix is over 3 MB');
  process.exit(1);
}
