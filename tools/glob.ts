/** The glob patterns the cdktf CLI takes for stack names (`'*-staging'`), for the tools that must agree with it. */

/** Whether the glob `pattern` (`*` any characters, `?` one) matches the whole of `name`. */
export function globMatches(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}
