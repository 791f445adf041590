/**
 * Rules on single values that AWS or Terraform apply and a JSON Schema pattern states only in
 * part: Terraform's template sequences, placeholders left in from the documents, cron expressions
 * and time zones, CIDR host bits, and the reasons behind a refused bucket name, S3 key or Lambda
 * handler. Each returns the problem (starting with the value) or undefined, or a hint for a
 * message.
 */
import { didYouMean, show } from '../../src/core/format';

/**
 * `${` (an interpolation) or `%{` (a template directive) not escaped as `$${` or `%%{`: Terraform
 * reads them in every string of the configuration.
 */
export function templateProblem(value: string): string | undefined {
  const m = /(?<![$%])([$%])\{/.exec(value);
  if (!m) return undefined;
  const [seq, escaped, kind] = m[1] === '$' ? ['${', '$${', 'an interpolation'] : ['%{', '%%{', 'a template directive'];
  return `${show(value)} holds "${seq}", which Terraform would read as ${kind} (settings are never interpolated); write "${escaped}" for a literal "${seq}"`;
}

/** An angle-bracket template of the documents: `<account>`, `<your-bucket>`, `<6 characters>`. */
const TEMPLATE = /<[A-Za-z0-9][^<>]*>/;
/**
 * Words that stand for a value still to be written: `xxx` (`ZXXXXXXXX`), `changeme`, `your-bucket`
 * in any case; `TODO`, `TBD`, `FIXME` in capitals or as the whole value (a `todo.example.com` is a
 * real name).
 */
const WORD = /(?:^|[^A-Za-z0-9])([a-z]?x{3,}|change[-_.]?me|replace[-_.]?me|placeholder|your|your[-_.]?(?:name|email|org|company|bucket|account|domain|repo|project|team))(?=$|[^A-Za-z0-9])/i;
const MARKER = /(?:^|[^A-Za-z0-9])(TODO|TBD|FIXME)(?=$|[^A-Za-z0-9])/;
const markerIn = (value: string) => (/^(todo|tbd|fixme)$/i.test(value) ? value : MARKER.exec(value)?.[1]);
/** The documents' example mailboxes (`you@example.com`, `user@example.org`). */
const EXAMPLE_MAILBOX = /^(you|email|e-mail|user|username|name|someone|me)@example\.(com|org|net)$/i;

/** The placeholder in `value` when it holds one (a template, or with `words`, a placeholder word or example mailbox). */
export function placeholderIn(value: string, words: boolean): string | undefined {
  return TEMPLATE.exec(value)?.[0] ?? (words ? (WORD.exec(value)?.[1] ?? markerIn(value) ?? EXAMPLE_MAILBOX.exec(value)?.[0]) : undefined);
}

/** A value that is, or holds, a placeholder left in: `what` is what it should be. */
export function placeholderProblem(value: string, what: string, words: boolean): string | undefined {
  const found = placeholderIn(value, words);
  return found === undefined ? undefined : `${show(value)} holds the placeholder ${JSON.stringify(found)}, not ${what}; write the real value`;
}

// ----- cron expressions -------------------------------------------------------------------------

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The six fields of an AWS cron expression: name, range and names. */
const FIELDS: readonly { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  { name: 'year', min: 1970, max: 2199 },
];

/** The number of one value of a field (a number, or a month or day name), or undefined. */
function valueOf(text: string, field: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + field.min : undefined;
}

/** What is wrong with one comma-separated part of field `index`, or undefined. */
function partProblem(part: string, index: number): string | undefined {
  const field = FIELDS[index];
  const allowed = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;
  const special = index === 2 ? /^(L|LW|\d{1,2}W)$/ : index === 4 ? /^(\d|[A-Za-z]{3})(L|#[1-5])$/ : undefined;
  if (part === '*' || special?.test(part)) return undefined;
  const [range, step] = part.split('/');
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= field.max)) return `${field.name} increment "/${step}" is not a whole number from 1 to ${field.max}`;
  const ends = range === '*' && step !== undefined ? [] : range.split('-');
  if (ends.length > 2) return `${field.name} "${part}" is not a value, a range "a-b", a list "a,b" or an increment "a/b"`;
  for (const end of ends) {
    const n = valueOf(end, field);
    if (n === undefined) return `${field.name} "${end}" is not a value; allowed: ${allowed}${index === 4 ? ', "L" or "#" forms such as 6L, 2#1' : index === 2 ? ', L, W' : ''}`;
    if (n < field.min || n > field.max) return `${field.name} ${end} is out of range; allowed: ${allowed}${index === 4 && n === 0 ? ' (AWS counts SUN as 1: Unix cron\'s 0 is 1 or SUN here)' : ''}`;
  }
  return undefined;
}

/** The six fields of `cron(...)`, or undefined when it is not that shape. */
const fieldsOf = (value: string): string[] | undefined => /^cron\((.*)\)$/.exec(value.trim())?.[1].trim().split(/\s+/);

/**
 * What AWS refuses in a six-field `cron(...)` expression (EventBridge, Application Auto Scaling and
 * AWS Backup share the format): a value out of its field's range, a `?` outside the day fields, and
 * day-of-month and day-of-week both set or both `?` (exactly one of them is `?`).
 */
export function cronProblem(value: string): string | undefined {
  const fields = fieldsOf(value);
  if (!fields || fields.length !== 6) return undefined;
  const bad = (detail: string) => `${show(value)} is not a valid AWS cron expression: ${detail}`;
  for (const [i, f] of fields.entries()) {
    if (f === '?') {
      if (i !== 2 && i !== 4) return bad(`"?" is allowed in day-of-month and day-of-week only, not in ${FIELDS[i].name}`);
      continue;
    }
    for (const part of f.split(',')) {
      const problem = partProblem(part, i);
      if (problem) return bad(problem);
    }
  }
  const [dom, dow] = [fields[2], fields[4]];
  if (dom === '?' && dow === '?') return bad('day-of-month and day-of-week are both "?"; give one of them, e.g. "*" for day-of-month');
  if (dom !== '?' && dow !== '?') {
    const fixed = [...fields];
    fixed[dow === '*' ? 4 : 2] = '?';
    return bad(`day-of-month "${dom}" and day-of-week "${dow}" are both set; AWS needs "?" in one of them: did you mean "cron(${fixed.join(' ')})"?`);
  }
  return undefined;
}

/** A Unix day-of-week field (0-7, 0 and 7 are Sunday) with AWS's day names. */
const unixDays = (dow: string) => dow.replace(/\d/g, (d) => DAYS[Number(d) % 7]);

/**
 * A did-you-mean for an expression that is not `cron(` and six fields: a Unix five-field cron
 * (days of the week renamed, one day field `?`), six fields without `cron(...)`, or a `rate(...)`
 * where a time of day is needed.
 */
export function cronHint(value: string): string {
  if (/^\s*rate\(/.test(value)) return '; a rate(...) repeats from whenever it starts: give the times of day with cron(...)';
  const fields = fieldsOf(value) ?? value.trim().split(/\s+/);
  if (fields.length === 6) return `; did you mean ${JSON.stringify(`cron(${fields.join(' ')})`)}?`;
  if (fields.length !== 5) return '';
  const [m, h, dom, mon] = fields;
  const dow = unixDays(fields[4]);
  const days = dow === '*' ? [dom, '?'] : [dom === '*' ? '?' : dom, dow];
  return `; AWS cron has six fields (minutes hours day-of-month month day-of-week year): did you mean ${JSON.stringify(`cron(${m} ${h} ${days[0]} ${mon} ${days[1]} *)`)}?`;
}

// ----- time zones -------------------------------------------------------------------------------

let zoneNames: readonly string[] | undefined;
/** The IANA zones this Node knows (canonical names), read once when a message needs them. */
const knownZones = (): readonly string[] => (zoneNames ??= ['UTC', ...Intl.supportedValuesOf('timeZone')]);

/**
 * `; did you mean "Europe/Paris"?` for a zone written without its area, or with another case or
 * spacing (`Paris`, `new york`); with `near`, also for a near miss (`Europe/Pariss`).
 */
export function zoneSuggestion(value: string, near = false): string {
  const key = value.trim().toLowerCase().replace(/ /g, '_');
  const match = knownZones().find((z) => z.toLowerCase() === key) ?? knownZones().find((z) => z.toLowerCase().endsWith(`/${key}`));
  if (match !== undefined && match !== value) return `; did you mean ${JSON.stringify(match)}?`;
  return near ? didYouMean(value, knownZones()) : '';
}

/**
 * An IANA time zone name AWS does not know: one the Node time zone database refuses, or one written
 * in another case (AWS compares the names as written). Links such as "Asia/Kolkata" are kept.
 */
export function timeZoneProblem(value: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return `${show(value)} is not an IANA time zone such as "Europe/Paris"${zoneSuggestion(value, true)}`;
  }
  const segments = value.split('/');
  const cased = resolved === value || resolved.toLowerCase() !== value.toLowerCase();
  return cased && segments.every((s) => /^[A-Z]/.test(s)) ? undefined : `${show(value)} is not an IANA time zone such as "Europe/Paris" (names are case-sensitive)${zoneSuggestion(value) || `; did you mean ${JSON.stringify(resolved)}?`}`;
}

// ----- networks, names and keys -----------------------------------------------------------------

/** `10.0.0.1/16` as its network address `10.0.0.0/16`. */
export function networkAddress(cidr: string): string {
  const [address, prefix] = cidr.split('/');
  const bits = Number(prefix);
  const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const network = bits === 0 ? 0 : n - (n % 2 ** (32 - bits));
  return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${bits}`;
}

/** A CIDR block with host bits set (AWS and the provider take the network address only). */
export function hostBitsProblem(cidr: string): string | undefined {
  const network = networkAddress(cidr);
  return network === cidr ? undefined : `${show(cidr)} has host bits set; allowed: the network address ${JSON.stringify(network)}`;
}

/** Why S3 refuses a bucket name that has the right characters and length, as a hint. */
export function bucketHint(name: string): string {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return '; a name formatted as an IP address is refused';
  if (name.includes('..')) return '; two adjacent "." are refused';
  const prefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p));
  if (prefix) return `; names starting with "${prefix}" are reserved`;
  const suffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].find((p) => name.endsWith(p));
  if (suffix) return `; names ending with "${suffix}" are reserved`;
  return /[A-Z_]/.test(name) ? `; did you mean ${JSON.stringify(name.toLowerCase().replace(/_/g, '-'))}?` : '';
}

/** Why Terraform's S3 backend refuses a state key or key prefix, as a hint. */
export function s3KeyHint(key: string): string {
  if (key.startsWith('/')) return `; Terraform's S3 backend refuses a leading "/": did you mean ${JSON.stringify(key.replace(/^\/+/, ''))}?`;
  if (key.includes('//')) return `; Terraform's S3 backend refuses "//" (an empty part): did you mean ${JSON.stringify(key.replace(/\/{2,}/g, '/'))}?`;
  const bad = /[^A-Za-z0-9!_.*'()\-/]/.exec(key);
  return bad ? `; ${JSON.stringify(bad[0])} is not a safe S3 key character (letters, digits, "/" and !_.*'()- are)` : '';
}

/** Why the Python runtime cannot resolve a handler, as a hint (`index.py.handler`, `index:handler`). */
export function pythonHandlerHint(handler: string): string {
  const fixed = handler.replace(/\.py(?=\.)/, '').replace(/[:/](?=[A-Za-z_]\w*$)/, '.').replace(/\(\)$/, '');
  return fixed !== handler && /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(fixed) ? `; did you mean ${JSON.stringify(fixed)}? (the module without ".py", a "." before the function)` : '';
}

/** An origin (`https://host:port`) whose port is outside 1-65535. */
export function originPortProblem(origin: string): string | undefined {
  const port = /:(\d+)$/.exec(origin)?.[1];
  return port !== undefined && (Number(port) < 1 || Number(port) > 65535) ? `${show(origin)} has port ${port}; allowed: 1 to 65535` : undefined;
}
