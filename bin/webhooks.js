#!/usr/bin/env node
// The `webhooks` command: runs the TypeScript CLI through tsx, so the repository needs no build step.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../cli/main.ts');
