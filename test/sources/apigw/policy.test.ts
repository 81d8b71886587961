import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../../src/sources/apigw/policy.js';

const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] };

describe('parsePolicyDocument', () => {
  it('accepts plain JSON, API Gateway’s backslash-escaped JSON, and objects', () => {
    const plain = JSON.stringify(doc);
    for (const raw of [plain, plain.replace(/"/g, '\\"'), JSON.stringify(plain), doc]) {
      expect(parsePolicyDocument(raw)).toEqual({ policy: doc });
    }
  });

  it('normalises a single Statement object to an array', () => {
    expect(parsePolicyDocument({ Statement: doc.Statement[0] }).policy?.Statement).toEqual(doc.Statement);
  });

  it('returns null without a policy, and an error for text that is not a policy', () => {
    expect(parsePolicyDocument(undefined)).toEqual({ policy: null });
    expect(parsePolicyDocument('')).toEqual({ policy: null });
    expect(parsePolicyDocument('{broken').error).toMatch(/not valid JSON/);
    expect(parsePolicyDocument('[1,2]').error).toMatch(/not a JSON object/);
  });

  it('drops statements without a valid Effect and says so', () => {
    const parsed = parsePolicyDocument({ Statement: [...doc.Statement, { Effect: 'Maybe' }] });
    expect(parsed.policy?.Statement).toHaveLength(1);
    expect(parsed.error).toMatch(/1 statement/);
  });
});
