// The bundled language server (dist/server.js): the project's server over the transport the client
// chose on the command line (`--node-ipc` when started by the extension).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../../../lsp/server.js';

startServer(createConnection(ProposedFeatures.all));
