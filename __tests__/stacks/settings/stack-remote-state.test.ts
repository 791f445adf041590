import { s } from '../../../stacks/settings';
import { StackRemoteStateSettings, checkStackRemoteState, stackRemoteState, stackRemoteStateSchema } from '../../../stacks/settings/shapes';

const DEFAULTS: StackRemoteStateSettings = { enabled: false, bucket: 'doc-terraform-state', dynamodbTable: 'doc-terraform-locks' };
const SHARED = { bucket: 'org-state', region: 'eu-west-1', keyPrefix: 'org' };

describe('a stack\'s own remote state', () => {
  it('follows the app-wide remote state (or local state) while off', () => {
    expect(stackRemoteState(DEFAULTS, undefined, 'us-east-1')).toEqual({ remoteState: undefined });
    expect(stackRemoteState(DEFAULTS, SHARED, 'us-east-1')).toEqual({ remoteState: SHARED });
  });

  it('uses the document names, in the stack region, when on, ahead of the app-wide one', () => {
    const on = { ...DEFAULTS, enabled: true };
    expect(stackRemoteState(on, SHARED, 'us-east-1')).toEqual({ remoteState: { bucket: 'doc-terraform-state', region: 'us-east-1', dynamodbTable: 'doc-terraform-locks' }, stateKey: undefined });
    expect(stackRemoteState({ ...on, region: 'eu-central-1', dynamodbTable: undefined, key: 'predictor/prod.tfstate' }, undefined, 'us-east-1')).toEqual({
      remoteState: { bucket: 'doc-terraform-state', region: 'eu-central-1', dynamodbTable: undefined },
      stateKey: 'predictor/prod.tfstate',
    });
  });

  it('reports every field changed while it is off, and nothing while it is on', () => {
    const issues: string[] = [];
    const issue = (path: string, message: string) => issues.push(`${path}: ${message}`);
    checkStackRemoteState({ ...DEFAULTS, bucket: 'mine', dynamodbTable: undefined, key: 'k.tfstate' }, DEFAULTS, issue);
    expect(issues).toEqual([
      'remoteState.bucket: "mine" has no effect while remoteState.enabled is false; set enabled true to keep this stack\'s state there',
      'remoteState.dynamodbTable: null has no effect while remoteState.enabled is false; set enabled true to keep this stack\'s state there',
      'remoteState.key: "k.tfstate" has no effect while remoteState.enabled is false; set enabled true to keep this stack\'s state there',
    ]);
    issues.length = 0;
    checkStackRemoteState({ ...DEFAULTS, enabled: true, bucket: 'mine' }, DEFAULTS, issue);
    expect(issues).toEqual([]);
  });

  it('validates names the S3 backend accepts', () => {
    const schema = stackRemoteStateSchema({ defaults: DEFAULTS });
    expect(s.validate(schema, { ...DEFAULTS, bucket: 'Bad_Bucket', region: 'mars-1', key: '/abs/key' }).map((i) => i.path)).toEqual(['bucket', 'region', 'key']);
    expect(s.validate(schema, { ...DEFAULTS, enabled: true, key: 'ai-predictor/terraform.tfstate' })).toEqual([]);
    expect(s.defaultsOf(schema)).toEqual(DEFAULTS);
  });
});
