// The bundled debug adapter (dist/dap.js): the project's adapter (dap/) over stdin/stdout, the same
// code `snip dap` runs. The extension starts it for launch configurations of type `snip`.
import { serveStdio } from '../../../dap/main.js';

serveStdio().then(
  () => process.exit(0),
  () => process.exit(1),
);
