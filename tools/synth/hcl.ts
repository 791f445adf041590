/**
 * cdktf 0.21 writes references in `depends_on`, `ignore_changes` and `replace_triggered_by` of its HCL output in quotes,
 * and the `provider` of a resource using an aliased provider (`provider = "aws.us_east_1"`), which
 * Terraform deprecates ("Quoted references are deprecated") and will stop accepting; this writes
 * them bare, as Terraform's own style does.
 */
export function unquoteReferences(hcl: string): string {
  return hcl
    .replace(/^(\s*(?:depends_on|ignore_changes|replace_triggered_by) = \[\n)((?:\s*"[^"\n]+",\n)*)(\s*\])/gm, (_m, head: string, items: string, close: string) => head + items.replace(/"([^"\n]+)",$/gm, '$1,') + close)
    .replace(/^(\s*provider = )"([A-Za-z][A-Za-z0-9_-]*\.[A-Za-z][A-Za-z0-9_-]*)"$/gm, '$1$2');
}
