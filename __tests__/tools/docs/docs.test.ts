/**
 * `npm run docs`: each stack's generated page (docs/stacks/<stack>.generated.md) is what the code
 * gives now, and a page reads its settings, outputs, state and cost from the code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { s } from '../../../stacks/settings';
import { STACK_NAMES } from '../../../stacks';
import { generatedPages, pageFile } from '../../../tools/docs';
import { settingRows, stackPage } from '../../../tools/docs/page';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('the generated stack pages', () => {
  it('are up to date: the committed pages are what npm run docs writes now', () => {
    const pages = generatedPages();
    expect(Object.keys(pages)).toEqual(STACK_NAMES.map(pageFile));
    const stale = Object.entries(pages).filter(([file, text]) => !fs.existsSync(path.join(ROOT, file)) || fs.readFileSync(path.join(ROOT, file), 'utf8') !== text).map(([file]) => file);
    // Out of date: run npm run docs.
    expect(stale).toEqual([]);
    const karmacadabra = pages[pageFile('karmacadabra')];
    expect(karmacadabra).toContain('| `agentDefaults.cpu` | `256` |');
    expect(karmacadabra).toContain('With `remoteState` set, the state object is `karmacadabra/terraform.tfstate` in the state bucket');
    expect(pages[pageFile('state-bootstrap')]).toContain('It stays on local state when `remoteState` is set');
  });

  it('lists every setting with its default and description: objects, then their fields; a map, then its entries\' fields', () => {
    const schema = s.object({
      region: s.region({ description: 'Region.', default: 'eu-west-1' }),
      tag: s.optional(s.string({ description: 'A tag. Default: none.' })),
      queue: s.object({ visibilitySec: s.number({ min: 1, max: 43200, description: 'Visibility timeout.' }) }, { description: 'The queue.', defaults: { visibilitySec: 30 } }),
    });
    expect(settingRows(schema, { region: 'eu-west-1', queue: { visibilitySec: 30 } })).toEqual([
      { name: 'region', default: 'eu-west-1', description: 'Region.' },
      { name: 'tag', default: undefined, description: 'A tag. Default: none.' },
      { name: 'queue', default: { visibilitySec: 30 }, description: 'The queue.' },
      { name: 'queue.visibilitySec', default: 30, description: 'Visibility timeout.' },
    ]);
  });

  it('writes the tables a reader needs', () => {
    const page = stackPage({
      name: 'demo',
      description: 'A demo | stack.',
      settings: [{ name: 'tag', default: undefined, description: 'A tag.' }, { name: 'azs', default: ['a', 'b'], description: 'Zones.' }],
      outputs: { url: { description: 'The URL.' }, key: { description: 'The key.', sensitive: true } },
      localState: '../../../terraform.demo.tfstate',
      remoteStateKey: 'demo/terraform.tfstate',
      cost: { pricesAsOf: '2026-11-23', floor: 1159.5, ceiling: 2000, currency: 'USD' },
    });
    expect(page.split('\n')).toEqual(
      expect.arrayContaining([
        '# demo',
        'A demo \\| stack.',
        '| `tag` | none | A tag. |',
        '| `azs` | `["a","b"]` | Zones. |',
        '| `url` | The URL. |',
        '| `key` | The key. (sensitive) |',
        'With `remoteState` set, the state object is `demo/terraform.tfstate` in the state bucket (`<keyPrefix>/demo/terraform.tfstate` with a `keyPrefix`).',
        '`npm run cost -- demo` prices it from the price table of 2026-11-23. At the default settings, with its images pushed (`npm run cost -- --deployed`): 1,159.50 USD a month at the floor (minimum capacity), 2,000.00 USD at the ceiling.',
      ]),
    );
  });
});
