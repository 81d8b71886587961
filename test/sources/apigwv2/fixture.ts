import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** Inline HTTP API scenarios: the built-in http-healthy scenario, changed per test. */
export const API_ID = 'k8h2t4p6v1';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- scenario data is edited freely in tests

const raw = readFileSync(new URL('../../../src/sandbox/scenarios/http-healthy.yaml', import.meta.url), 'utf8');

/** A fresh copy of the healthy HTTP API scenario, edited by `change`. */
export function httpScenario(change: (s: Obj) => void = () => undefined): Obj {
  const s = parseYaml(raw) as Obj;
  delete s.expect;
  change(s);
  return s;
}

export const account = (s: Obj): Obj => s.accounts[0];
export const httpApi = (s: Obj): Obj => account(s).apigatewayv2.apis[0];
