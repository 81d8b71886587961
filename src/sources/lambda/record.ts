import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { text } from '../record.js';

/** `name`, `name:alias`, `123456789012:function:name` or a full ARN → the function's name. */
function functionName(value: string): string {
  const arn = /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?function:([^:]+)(?::.+)?$/.exec(value);
  return arn?.[1] ?? value.split(':')[0] ?? value;
}

/**
 * Lambda's answers into the scenario's `lambda.functions`: the configuration as read, GetPolicy's
 * document as `policy`, GetFunctionConcurrency's reserve as `reservedConcurrency`.
 */
export function writeLambdaAnswer(call: CapturedCall, w: ScenarioWriter): void {
  if (call.service !== 'lambda' || !call.output) return;
  const out = call.output;
  const asked = text(call.input.FunctionName);
  const name = text(out.FunctionName) ?? (asked ? functionName(asked) : undefined);
  if (!name) return;
  const fn = ['lambda', 'functions', { FunctionName: name }] as const;
  switch (call.operation) {
    case 'GetFunctionConfiguration':
      w.put(call.accountId, fn, out);
      return;
    case 'GetPolicy':
      if (typeof out.Policy === 'string') w.put(call.accountId, fn, { policy: out.Policy });
      return;
    case 'GetFunctionConcurrency':
      if (typeof out.ReservedConcurrentExecutions === 'number') w.put(call.accountId, fn, { reservedConcurrency: out.ReservedConcurrentExecutions });
      else w.put(call.accountId, fn, {});
      return;
  }
}
