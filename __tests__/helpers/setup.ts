import { Testing } from 'cdktf';
import { installFastPath } from '../../tools/synth/fast-path';
// Brings the typings of cdktf's jest matchers (toHaveResource, toBeValidTerraform, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
// As the app does (tools/synth/fast-path.ts): no stack trace per token, one resolve pass per stack.
installFastPath();
