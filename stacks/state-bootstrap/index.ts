/** The state-bootstrap stack: its settings (`settings.ts`), its composition (`stack.ts`) and its definition for the app. */
import type { Construct } from 'constructs';
import type { StackDefinition } from '../settings';
import { PREVIEW_ACCOUNT } from '../settings/preview';
import { StateBootstrapSettings, stateBootstrapDefaults, stateBootstrapSchema } from './settings';
import { STATE_BOOTSTRAP, StateBootstrapStack } from './stack';

export * from './settings';
export * from './stack';

/** The stack definition. */
export const stateBootstrap: StackDefinition<StateBootstrapSettings, Construct> = {
  name: STATE_BOOTSTRAP,
  description: 'The S3 bucket and DynamoDB lock table that hold every other stack\'s Terraform state',
  preview: (s) => ({ accountId: s.accountId ?? PREVIEW_ACCOUNT }),
  schema: stateBootstrapSchema,
  defaults: stateBootstrapDefaults,
  validateShared: (settings, shared) =>
    settings.storeOwnState && !shared.remoteState ? [{ path: 'storeOwnState', message: 'true needs "remoteState" (bucket and region) in the settings' }] : [],
  create: (app, settings, shared) => new StateBootstrapStack(app, STATE_BOOTSTRAP, settings, shared),
};
