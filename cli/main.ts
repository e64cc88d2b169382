/** The `webhooks` command's process entry: scripts/build-cli.js bundles it into dist/cli.js, which bin/webhooks.js runs. */
import { processIo } from './cli-io';
import { run } from './program';

// The SDK's Node.js-version notice is noise in a CLI; bin/webhooks.js sets this too. The SDK reads it when a client sends.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that stops early (`webhooks list | head`) closes the pipe: the output is no longer wanted,
// which is no error of the command's; end quietly instead of with an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

void run(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
