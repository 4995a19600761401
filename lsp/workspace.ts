// The documents the server knows: open editor buffers (authoritative) and the .snip/.studio files
// of the workspace folder (read from disk). Analyses are cached per text; each document is analysed
// with the user functions declared in the other files, so calls across files resolve.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findFiles } from './find-files.js';
import type { AnalysisOptions } from '../language/analyze.js';
import type { FunctionSymbol } from '../language/analysis/symbols.js';
import { analyzeText, fileNameOf, isScriptFile, type AnalyzedDocument } from './analyzed-document.js';
import { loadHubNames, type HubNames } from './hub-names.js';

/** What a feature may know beyond its own document. */
export interface WorkspaceView {
  /** Every script of the workspace (open buffers win over disk), analysed. */
  documents(): AnalyzedDocument[];
  /** The hub's names, when the workspace has a hub directory. */
  hub: HubNames | undefined;
}

/** A user function declared in some document of the workspace. */
export interface WorkspaceFunction {
  uri: string;
  symbol: FunctionSymbol;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'hub', '.vscode-test']);

interface Entry {
  text: string;
  version: number;
  open: boolean;
  analyzed?: AnalyzedDocument;
  /** The function signature of the workspace the analysis was made with. */
  analyzedWith?: string;
  /** Functions this text declares (cached per text). */
  declared?: { text: string; functions: { name: string; params: string[] }[] };
}

/** The open documents and workspace files, with cached analyses. */
export class Workspace implements WorkspaceView {
  private readonly entries = new Map<string, Entry>();
  hub: HubNames | undefined;
  constructor(readonly root: string | undefined) {}

  /** Reads the workspace folder's scripts and its hub directory (`hubDir`, default `<root>/hub`). */
  async load(hubDir?: string): Promise<void> {
    if (this.root) {
      for (const file of await scriptFiles(this.root)) {
        const uri = pathToFileURL(file).href;
        if (this.entries.get(uri)?.open) continue;
        try {
          this.entries.set(uri, { text: await readFile(file, 'utf8'), version: 0, open: false });
        } catch {
          // A file that vanished between listing and reading is simply not part of the workspace.
        }
      }
    }
    await this.reloadHub(hubDir);
  }

  async reloadHub(hubDir?: string): Promise<void> {
    const dir = hubDir ?? (this.root ? join(this.root, 'hub') : undefined);
    this.hub = dir ? await loadHubNames(dir) : undefined;
  }

  /** An editor opened or changed a document. */
  setOpen(uri: string, text: string, version: number): void {
    const e = this.entries.get(uri);
    if (e && e.text === text) {
      e.open = true;
      e.version = version;
      return;
    }
    this.entries.set(uri, { text, version, open: true });
  }

  /** An editor closed a document: keep the file's disk text if it is part of the workspace. */
  async close(uri: string): Promise<void> {
    const e = this.entries.get(uri);
    if (!e) return;
    e.open = false;
    try {
      const text = await readFile(fileNameOf(uri), 'utf8');
      if (text !== e.text) this.entries.set(uri, { text, version: 0, open: false });
    } catch {
      this.entries.delete(uri);
    }
  }

  /** A file changed on disk (watched files); open buffers are not touched. */
  async fileChanged(uri: string, deleted: boolean): Promise<void> {
    if (this.entries.get(uri)?.open) return;
    if (deleted) {
      this.entries.delete(uri);
      return;
    }
    try {
      this.entries.set(uri, { text: await readFile(fileNameOf(uri), 'utf8'), version: 0, open: false });
    } catch {
      this.entries.delete(uri);
    }
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  isOpen(uri: string): boolean {
    return this.entries.get(uri)?.open ?? false;
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  /** The analysed document, re-analysed only when its text or the workspace's functions changed. */
  get(uri: string): AnalyzedDocument | undefined {
    const e = this.entries.get(uri);
    if (!e) return undefined;
    const external = this.externalFunctions(uri);
    const key = external.map((f) => `${f.name}(${f.params.join(',')})`).join(';');
    if (!e.analyzed || e.analyzedWith !== key || e.analyzed.text !== e.text) {
      e.analyzed = analyzeText(uri, e.text, e.version, { externalFunctions: external });
      e.analyzedWith = key;
    }
    e.analyzed.version = e.version;
    return e.analyzed;
  }

  documents(): AnalyzedDocument[] {
    return this.uris().flatMap((u) => {
      const d = this.get(u);
      return d ? [d] : [];
    });
  }

  /** Every user function of the workspace with the document declaring it. */
  functions(): WorkspaceFunction[] {
    const out: WorkspaceFunction[] = [];
    for (const uri of this.uris()) {
      const d = this.own(uri);
      if (d) for (const symbol of d.analysis.symbols.functions.values()) if (symbol.nameRange) out.push({ uri, symbol });
    }
    return out;
  }

  /** The document analysed on its own (no external functions): what it declares itself. */
  private own(uri: string): AnalyzedDocument | undefined {
    const e = this.entries.get(uri);
    if (!e) return undefined;
    if (e.analyzed && e.analyzed.text === e.text) return e.analyzed;
    return this.get(uri);
  }

  private externalFunctions(uri: string): NonNullable<AnalysisOptions['externalFunctions']> {
    const out: NonNullable<AnalysisOptions['externalFunctions']> = [];
    const seen = new Set<string>();
    for (const [other, e] of this.entries) {
      if (other === uri) continue;
      for (const f of declaredFunctions(e)) {
        if (seen.has(f.name.toLowerCase())) continue;
        seen.add(f.name.toLowerCase());
        out.push(f);
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
}

const FUNCTION_LINE = /^[ \t]*function[ \t]+([A-Za-z][A-Za-z0-9_$]*)[ \t]*(?:\(([^)]*)\))?/gim;

/**
 * Function declarations of a document, found by a line scan so that other documents' analyses
 * never need this one's full analysis (no cycles, no cascade of re-analyses).
 */
function declaredFunctions(e: Entry): { name: string; params: string[] }[] {
  if (e.declared?.text === e.text) return e.declared.functions;
  const out: { name: string; params: string[] }[] = [];
  for (const m of e.text.matchAll(FUNCTION_LINE)) {
    const params = (m[2] ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
    out.push({ name: m[1]!, params });
  }
  e.declared = { text: e.text, functions: out };
  return out;
}

const scriptFiles = (dir: string): Promise<string[]> =>
  findFiles(dir, { accept: isScriptFile, maxDepth: 8, skipDir: (n) => n.startsWith('.') || SKIP_DIRS.has(n) });
