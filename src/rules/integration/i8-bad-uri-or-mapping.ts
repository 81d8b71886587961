import { evidenceOf } from '../helpers.js';
import { defineLogCauseRule } from './log-cause-rule.js';

/**
 * I8: the integration URI is not a valid endpoint (often a stage variable left unset), or a
 * mapping template fails: 500 "Invalid endpoint address" / "Unable to transform request".
 */
export const i8BadUriOrMapping = defineLogCauseRule({
  id: 'I8.bad-uri-or-mapping',
  severity: 'high',
  title: 'The integration URI or mapping template is invalid',
  what: 'Invalid integration URI or mapping (500)',
  signatures: ['invalid-endpoint', 'transform-error', 'configuration-error'],
  sources: ['logs.execution', 'logs.access'],
  cannotRuleOut: 'an invalid integration URI or mapping (no execution or access logs)',
  explain: (counts, input) => {
    const variable = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.integration?.uri?.includes('${stageVariables.'));
    const mapping = counts.some((c) => c.signature === 'transform-error');
    return {
      detail: `Callers get 500.${variable.length ? ` ${variable.slice(0, 3).map((m) => `${m.httpMethod} ${m.path} uses ${m.integration?.uri}`).join('; ')}: the stage must define that variable.` : ''}`,
      evidence: variable.slice(0, 3).map((m) => ({ source: 'apigw.resources', key: `${m.httpMethod} ${m.path}`, quote: `integration uri ${m.integration?.uri}` })),
      fix: mapping
        ? 'Fix the mapping template of the failing method (test it with test-invoke-method) and deploy.'
        : variable.length
          ? 'Define the stage variable the integration URI uses on every stage (or fix the URI), then deploy.'
          : 'Correct the integration URI (scheme, host, path) of the failing method and deploy.',
    };
  },
});
