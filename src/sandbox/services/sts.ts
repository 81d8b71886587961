import type { Handler, ServiceHandlers } from './context.js';

const getCallerIdentity: Handler = (_input, ctx) => ({
  UserId: 'AROASANDBOXEXAMPLE00:firebreak',
  Account: ctx.accountId,
  Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/firebreak/sandbox`,
});

export const stsHandlers: ServiceHandlers = { GetCallerIdentity: getCallerIdentity };
