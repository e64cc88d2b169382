/** The `webhooks` command's process entry: scripts/build-cli.js bundles it into dist/cli.js, which bin/webhooks.js runs. */
import { processIo } from './cli-io';
import { run } from './program';

// The SDK's Node.js-version notice is noise in a CLI; bin/webhooks.js sets this too. The SDK reads it when a client sends.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

void run(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
