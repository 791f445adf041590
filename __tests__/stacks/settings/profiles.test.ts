/**
 * `"profile": "lean"`: a stack's settings start from its lean defaults (over the standard ones), and
 * every setting the user writes beside it still wins; `"standard"` (the default) changes nothing.
 */
import { s, StackDefinition, resolveSettings } from '../../../stacks/settings';
import { profileField } from '../../../stacks/settings/shapes';

const schema = s.object({
  natGateways: s.oneOf(['single', 'instance'], { default: 'single' }),
  tasks: s.number({ min: 0, max: 10, default: 2 }),
  insights: s.boolean({ default: true }),
  profile: profileField,
});
type Settings = s.Static<typeof schema>;
const definition: StackDefinition<Settings> = {
  name: 'demo',
  description: 'a stack for the test',
  schema,
  defaults: s.defaultsOf(schema),
  profiles: { lean: { natGateways: 'instance', tasks: 1, insights: false } },
  create: () => undefined,
};
const resolve = (settings?: Record<string, unknown>) => resolveSettings([definition], { stacks: settings ? { demo: settings } : {} }).stacks.get('demo');

describe('profiles', () => {
  it('starts from the standard defaults unless lean is asked for', () => {
    expect(resolve()).toEqual({ natGateways: 'single', tasks: 2, insights: true, profile: 'standard' });
    expect(resolve({ profile: 'standard' })).toEqual(resolve());
  });

  it('starts from the lean defaults with "profile": "lean", and the user\'s settings still win', () => {
    expect(resolve({ profile: 'lean' })).toEqual({ natGateways: 'instance', tasks: 1, insights: false, profile: 'lean' });
    expect(resolve({ profile: 'lean', tasks: 3 })).toEqual({ natGateways: 'instance', tasks: 3, insights: false, profile: 'lean' });
  });

  it('refuses a profile that does not exist, naming the allowed ones', () => {
    expect(() => resolve({ profile: 'cheap' })).toThrow('profile: "cheap" is not a cost profile; allowed: "standard", "lean"');
  });
});
