import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** Inline WebSocket API scenarios: the built-in w-healthy scenario, changed per test. */
export const WS_API_ID = 'w5k2m8q4r1';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- scenario data is edited freely in tests

const raw = readFileSync(new URL('../../../src/sandbox/scenarios/w-healthy.yaml', import.meta.url), 'utf8');

/** A fresh copy of the healthy WebSocket API scenario, edited by `change`. */
export function wsScenario(change: (s: Obj) => void = () => undefined): Obj {
  const s = parseYaml(raw) as Obj;
  delete s.expect;
  change(s);
  return s;
}

export const wsAccount = (s: Obj): Obj => s.accounts[0];
export const wsApi = (s: Obj): Obj => wsAccount(s).apigatewayv2.apis[0];
export const wsStage = (s: Obj): Obj => wsApi(s).stages[0];
export const wsFunction = (s: Obj, name: string): Obj => wsAccount(s).lambda.functions.find((f: Obj) => f.FunctionName === name);
