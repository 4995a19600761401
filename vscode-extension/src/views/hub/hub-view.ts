// The hub tree view (`snipstudio.hub`): a TreeDataProvider over the pure tree model, refreshed when
// files in the hub folder change.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings, workspaceRoot } from '../../settings';
import { readHub } from './hub-cli';
import { hubTree, type HubItem } from './tree-model';

export class HubView implements vscode.TreeDataProvider<HubItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HubItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private items: Promise<HubItem[]> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    this.watch();
  }

  /** Watches the hub folder (again, after the setting changed). */
  watch(): void {
    this.watcher?.dispose();
    const dir = readSettings().hubFolder;
    if (!dir) return;
    const root = workspaceRoot();
    const inside = root && !path.relative(root, dir).startsWith('..');
    const pattern = inside ? new vscode.RelativePattern(root, `${path.relative(root, dir).split(path.sep).join('/') || '.'}/**`) : new vscode.RelativePattern(dir, '**');
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const later = () => this.refreshSoon();
    this.watcher.onDidChange(later);
    this.watcher.onDidCreate(later);
    this.watcher.onDidDelete(later);
  }

  /** Several files change per hub operation: one refresh for all of them. */
  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 200);
  }

  refresh(): void {
    this.items = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(item: HubItem): vscode.TreeItem {
    const t = new vscode.TreeItem(item.label, item.children?.length ? (item.kind === 'group' || item.kind === 'requests' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    t.id = item.id;
    t.description = item.description;
    t.tooltip = item.tooltip;
    t.contextValue = item.contextValue;
    t.iconPath = new vscode.ThemeIcon(item.icon);
    return t;
  }

  async getChildren(item?: HubItem): Promise<HubItem[]> {
    if (item) return item.children ?? [];
    this.items ??= readHub().then(hubTree);
    return this.items;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    this.changed.dispose();
  }
}
