/**
 * Environment names that hold production data and traffic: production-only defaults (access logs,
 * deletion protection) and the guardrails' production rules use the same test.
 */
const PRODUCTION_ENVIRONMENT = /^(prod|production|prd|live)$/i;

/** Whether `environment` names a production environment (`prod`, `production`, `prd`, `live`). */
export function isProductionEnvironment(environment: string | undefined): boolean {
  return environment !== undefined && PRODUCTION_ENVIRONMENT.test(environment);
}
