#!/usr/bin/env node
// The CDK app entry (cdk.json "app", after scripts/build-handler.js has rebuilt the function's code
// if its sources changed): only wiring. Options come from context, see the README, "Deploy".
import { Errors } from 'aws-cdk-lib';
import { createApp } from './create-app';
import { InvalidContextError, InvalidPropsError, MissingHandlerCodeError } from './errors';

try {
  createApp();
} catch (error) {
  // A configuration mistake, ours or one of the limits CDK checks itself, gets its sentence, not a stack trace.
  const known = error instanceof InvalidContextError || error instanceof InvalidPropsError || error instanceof MissingHandlerCodeError;
  if (!(known || Errors.isValidationError(error))) throw error;
  console.error(`platform-webhooks: ${error.message}`);
  process.exit(1);
}
