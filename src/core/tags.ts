/** Adds `Name` to caller tags; every construct names its resources through this. */
export function nameTags(name: string, tags?: Readonly<Record<string, string>>): Record<string, string> {
  return { ...(tags ?? {}), Name: name };
}
