// A minimal stand-in for the `vscode` module, enough to load the bundled extension (out/extension.js) in Node and
// call activate(): it records what the extension registers and shows. Any API not modelled here is a no-op class
// (vscode-languageclient extends some vscode classes when it loads).

type Listener = (value: unknown) => unknown;

export interface FakeDocument {
  uri: { scheme: string; fsPath: string; path: string; toString(): string };
  languageId: string;
  getText(): string;
}

export interface FakeVscode {
  module: Record<string, unknown>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  errors: { message: string; items: string[] }[];
  statusItems: { text: string; tooltip: unknown; show(): void }[];
  contentProviders: string[];
  settings: Record<string, unknown>;
  openDocuments: FakeDocument[];
  fire(event: "open", document: FakeDocument): void;
}

class EventEmitter {
  private listeners: Listener[] = [];
  event = (listener: Listener) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: unknown): void {
    this.listeners.forEach((l) => l(value));
  }
  dispose(): void {
    this.listeners = [];
  }
}

const disposable = { dispose: () => undefined };

export function fakeDocument(path: string, languageId: string, text: string): FakeDocument {
  return {
    uri: { scheme: "file", fsPath: path, path, toString: () => `file://${path}` },
    languageId,
    getText: () => text,
  };
}

export function makeFakeVscode(): FakeVscode {
  const openListeners: Listener[] = [];
  const fake: FakeVscode = {
    module: {},
    commands: new Map(),
    errors: [],
    statusItems: [],
    contentProviders: [],
    settings: {},
    openDocuments: [],
    fire: (_event, document) => openListeners.forEach((l) => l(document)),
  };
  const on = (listeners?: Listener[]) => (listener: Listener) => {
    listeners?.push(listener);
    return disposable;
  };
  const configuration = (section: string) => ({
    get: (key: string, fallback?: unknown) => fake.settings[`${section}.${key}`] ?? fallback,
    inspect: (key: string) => ({ key, globalValue: fake.settings[`${section}.${key}`] }),
    has: () => false,
    update: () => Promise.resolve(),
  });
  const known: Record<string, unknown> = {
    EventEmitter,
    Disposable: class {
      static from(): typeof disposable {
        return disposable;
      }
      dispose(): void {}
    },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    // The extension reads a document's head through a range; the fake documents are small and return it all.
    Range: class {
      constructor(
        readonly startLine: number,
        readonly startCharacter: number,
        readonly endLine: number,
        readonly endCharacter: number,
      ) {}
    },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Beside: -2, Active: -1 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    Uri: {
      parse: (value: string) => ({ toString: () => value }),
      from: (parts: { scheme: string; path: string }) => ({ ...parts, toString: () => `${parts.scheme}:${parts.path}` }),
      file: (path: string) => ({ scheme: "file", fsPath: path, path, toString: () => `file://${path}` }),
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        fake.commands.set(id, handler);
        return disposable;
      },
      executeCommand: () => Promise.resolve(undefined),
    },
    window: {
      createOutputChannel: () => ({ appendLine: () => undefined, append: () => undefined, show: () => undefined, dispose: () => undefined }),
      createStatusBarItem: () => {
        const item = { text: "", tooltip: undefined as unknown, show: () => undefined, hide: () => undefined, dispose: () => undefined };
        fake.statusItems.push(item);
        return item;
      },
      showErrorMessage: (message: string, ...items: string[]) => {
        fake.errors.push({ message, items });
        return Promise.resolve(undefined);
      },
      showInformationMessage: () => Promise.resolve(undefined),
      activeTextEditor: undefined,
    },
    workspace: {
      getConfiguration: configuration,
      get textDocuments() {
        return fake.openDocuments;
      },
      workspaceFolders: undefined,
      onDidOpenTextDocument: on(openListeners),
      onDidChangeTextDocument: on(),
      onDidChangeConfiguration: on(),
      registerTextDocumentContentProvider: (scheme: string) => {
        fake.contentProviders.push(scheme);
        return disposable;
      },
      findFiles: () => Promise.resolve([]),
    },
    languages: {
      // Enough of glob matching for the tests: `**/db/changelog/**` style folder globs.
      match: (selector: { pattern: string }, document: FakeDocument) => {
        const folder = /^\*\*\/(.+)\/\*\*$/.exec(selector.pattern)?.[1];
        return folder !== undefined && document.uri.path.includes(`/${folder}/`) ? 10 : 0;
      },
      getDiagnostics: () => [],
    },
    env: { openExternal: () => Promise.resolve(true) },
  };
  const stubs = new Map<string, unknown>();
  fake.module = new Proxy(known, {
    get(target, name: string) {
      if (name in target) {
        return target[name];
      }
      if (!stubs.has(name)) {
        stubs.set(name, class {});
      }
      return stubs.get(name);
    },
  });
  return fake;
}
