import { Testing } from 'cdktf';
import { skipTokenTraces } from '../../src/core/traces';
// Brings the typings of cdktf's jest matchers (toHaveResource, toBeValidTerraform, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
// As the app does (src/core/traces.ts): no stack trace per token.
skipTokenTraces();
