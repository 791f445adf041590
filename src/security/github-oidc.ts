/** The account's GitHub OIDC provider: its issuer and ARN (no provider modules, for settings checks). */

/** Issuer of GitHub Actions OIDC tokens. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** ARN of an account's GitHub OIDC provider (one per account and issuer). */
export function githubOidcProviderArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}
