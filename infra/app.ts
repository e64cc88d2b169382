#!/usr/bin/env node
// The CDK app entry (cdk.json "app"): only wiring. Options come from context, see the README, "Deploy".
import { createApp } from './create-app';
import { InvalidContextError, InvalidPropsError } from './errors';

try {
  createApp();
} catch (error) {
  // A configuration mistake gets its sentence, not a stack trace.
  if (!(error instanceof InvalidContextError || error instanceof InvalidPropsError)) throw error;
  console.error(`platform-webhooks: ${error.message}`);
  process.exit(1);
}
