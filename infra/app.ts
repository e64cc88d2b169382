#!/usr/bin/env node
// The CDK app entry (cdk.json "app"): only wiring. Options come from context, see the README, "Deploy".
import { Errors } from 'aws-cdk-lib';
import { createApp } from './create-app';
import { InvalidContextError, InvalidPropsError } from './errors';

try {
  createApp();
} catch (error) {
  // A configuration mistake, ours or one of the limits CDK checks itself, gets its sentence, not a stack trace.
  if (!(error instanceof InvalidContextError || error instanceof InvalidPropsError || Errors.isValidationError(error))) throw error;
  console.error(`platform-webhooks: ${error.message}`);
  process.exit(1);
}
