// Searches every file under some folders for a secret value in the forms it is most likely stored in:
// UTF-8, UTF-16LE (how Chromium's storage writes strings), and whole-value base64 and hex.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface LeakHit {
  file: string;
  encoding: string;
}

function files(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // gone meanwhile, or unreadable: nothing to search
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) files(full, out);
    else if (e.isFile()) out.push(full);
  }
}

/** Every file under `dirs` holding `secret` in any of the encodings, with the encoding found. */
export function searchForSecret(dirs: string[], secret: string): { hits: LeakHit[]; filesSearched: number } {
  const needles: [string, Buffer][] = [
    ['utf8', Buffer.from(secret, 'utf8')],
    ['utf16le', Buffer.from(secret, 'utf16le')],
    ['base64', Buffer.from(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''), 'utf8')],
    ['hex', Buffer.from(Buffer.from(secret, 'utf8').toString('hex'), 'utf8')],
  ];
  const all: string[] = [];
  for (const d of dirs) files(d, all);
  const hits: LeakHit[] = [];
  for (const file of all) {
    if (lstatSync(file).size === 0) continue;
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      continue;
    }
    for (const [encoding, needle] of needles) if (data.includes(needle)) hits.push({ file, encoding });
  }
  return { hits, filesSearched: all.length };
}
