import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { loadInfraConfig } from '../config.js';
import { FirebreakStack } from '../lib/firebreak-stack.js';
import { MemberAccountRoleStack } from '../lib/member-account-role.js';

/**
 * `npm run synth` (or the CDK CLI via infra/cdk.json). Offline and credential-free: the stacks are
 * environment-agnostic and the Lambda code defaults to a placeholder directory in the repo.
 *   FIREBREAK_INFRA_CONFIG  JSON settings file (default infra/config.json, all defaults if absent)
 *   FIREBREAK_LAMBDA_CODE   bundle directory from `npm run build:lambda` (e.g. dist/lambda)
 * Both can also be given as CDK context: -c config=... -c lambdaCode=...; relative paths are
 * relative to the repository root.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// The CDK CLI sets CDK_OUTDIR; run directly, write where `cdk deploy --app cdk.out` can find it.
const app = new App(process.env.CDK_OUTDIR ? {} : { outdir: resolve(repoRoot, 'cdk.out') });

const contextString = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value ? value : undefined;
};

const configFile = contextString('config') ?? process.env.FIREBREAK_INFRA_CONFIG ?? resolve(repoRoot, 'infra/config.json');
// Relative paths are relative to the repository, whichever directory the CDK CLI runs from.
const config = loadInfraConfig(resolve(repoRoot, configFile));

const lambdaCode = contextString('lambdaCode') ?? process.env.FIREBREAK_LAMBDA_CODE;
const lambdaCodeDir = lambdaCode ? resolve(repoRoot, lambdaCode) : undefined;
if (lambdaCodeDir && !existsSync(resolve(lambdaCodeDir, 'front.mjs'))) {
  throw new Error(`FIREBREAK_LAMBDA_CODE=${lambdaCode}: no front.mjs there; run \`npm run build:lambda\` first`);
}

new FirebreakStack(app, config.stackName, {
  config,
  ...(lambdaCodeDir ? { lambdaCodeDir } : {}),
  description: 'firebreak: Slack bot that troubleshoots API Gateway read-only',
});
new MemberAccountRoleStack(app, config.memberStackName, {
  roleName: config.memberRoleName,
  logGroups: config.logGroups,
  description: 'firebreak: read-only role for member accounts, trusting only the firebreak bot role',
});

const assembly = app.synth();
if (!process.env.CDK_OUTDIR) {
  for (const stack of assembly.stacks) {
    console.log(`synthesised ${stack.stackName} -> ${stack.templateFullPath}`);
    for (const message of stack.messages) if (message.level !== 'info') console.warn(`  ${message.level}: ${String(message.entry.data)}`);
  }
}
