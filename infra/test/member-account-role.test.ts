import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { generateIamPolicy } from '../../src/aws/iam-policy.js';
import { MemberAccountRoleStack } from '../lib/member-account-role.js';

// Synthesising is the slow part (aws-cdk-lib loads lazily): once per distinct input.
const synthesised = new Map<string, Template>();
const synth = (botRoleArn?: string): Template => {
  const key = botRoleArn ?? '';
  let template = synthesised.get(key);
  if (!template) {
    const props = { roleName: 'firebreak-read', ...(botRoleArn ? { botRoleArn } : {}) };
    template = Template.fromStack(new MemberAccountRoleStack(new App(), 'Member', props));
    synthesised.set(key, template);
  }
  return template;
};

/** CloudFormation collapses one-element lists to scalars; compare on lists. */
const asList = (v: unknown) => (Array.isArray(v) ? v : [v]);
const normalise = (statements: { Action: unknown; Resource: unknown }[]) =>
  statements.map((s) => ({ ...s, Action: asList(s.Action), Resource: asList(s.Resource) }));

function onlyRole(template: Template) {
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return roles[0]!.Properties;
}

describe('member-account read role', () => {
  it('trusts only the bot role passed as the BotRoleArn parameter', () => {
    const template = synth();
    template.hasParameter('BotRoleArn', { Type: 'String' });
    const role = onlyRole(template);
    expect(role.RoleName).toBe('firebreak-read');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { Ref: 'BotRoleArn' } } },
    ]);
  });

  it('trusts only the bot role given as a prop', () => {
    const role = onlyRole(synth('arn:aws:iam::111111111111:role/Firebreak-BotRole-ABC'));
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/Firebreak-BotRole-ABC' } },
    ]);
  });

  it('rejects a parameter that is not a role ARN', () => {
    const pattern = new RegExp(synth().findParameters('BotRoleArn').BotRoleArn!.AllowedPattern as string);
    expect(pattern.test('arn:aws:iam::111111111111:role/Firebreak-BotRole-ABC')).toBe(true);
    expect(pattern.test('*')).toBe(false);
    expect(pattern.test('arn:aws:iam::111111111111:root')).toBe(false);
  });

  it('grants exactly the generated read-only policy and nothing else', () => {
    const role = onlyRole(synth());
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toHaveLength(1);
    expect(normalise(role.Policies[0].PolicyDocument.Statement)).toEqual(normalise(generateIamPolicy().Statement));
    expect(Object.keys(synth().findResources('AWS::IAM::Policy'))).toEqual([]);
  });

  it('deploys into accounts CDK never bootstrapped (no bootstrap check, no assets, template inline)', () => {
    const json = synth().toJSON();
    expect(json.Rules).toBeUndefined();
    expect(Object.keys(json.Parameters ?? {})).toEqual(['BotRoleArn']);
    const app = new App();
    const stack = new MemberAccountRoleStack(app, 'Member', { roleName: 'firebreak-read' });
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    expect(artifact.stackTemplateAssetObjectUrl).toBeUndefined();
    expect(artifact.assumeRoleArn).toBeUndefined();
    expect(artifact.assets).toEqual([]);
  });
});
