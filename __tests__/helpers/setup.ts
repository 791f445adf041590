import { Testing } from 'cdktf';
// Brings the typings of cdktf's jest matchers (toHaveResource, toBeValidTerraform, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
