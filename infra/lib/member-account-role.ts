import { CfnOutput, CfnParameter, LegacyStackSynthesizer, Stack, type StackProps, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { generateIamPolicy } from '../../src/aws/iam-policy.js';

export interface MemberAccountRoleStackProps extends StackProps {
  /**
   * The bot's role ARN (the main stack's BotRoleArn output). Absent: the template takes it as the
   * `BotRoleArn` parameter, so one template can be rolled out to many accounts with StackSets.
   */
  botRoleArn?: string;
  roleName: string;
  /** Access-log and flow-log groups to read besides the execution and Lambda log groups. */
  logGroups?: readonly string[];
}

const ROLE_ARN_PATTERN = '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$';

/**
 * The read-only role member accounts deploy so the bot can read them: the same generated read
 * statements as docs/iam-policy.json, assumable by the bot's role and by nothing else. The legacy
 * synthesizer keeps the template free of assets and bootstrap checks and lets the CLI pass it
 * inline, so it deploys (or rolls out with StackSets) into accounts CDK never bootstrapped.
 */
export class MemberAccountRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberAccountRoleStackProps) {
    super(scope, id, { synthesizer: new LegacyStackSynthesizer(), ...props });

    const botRoleArn =
      props.botRoleArn ??
      new CfnParameter(this, 'BotRoleArn', {
        type: 'String',
        allowedPattern: ROLE_ARN_PATTERN,
        description: "The firebreak bot's role ARN (output BotRoleArn of the firebreak stack)",
      }).valueAsString;

    this.role = new iam.Role(this, 'ReadRole', {
      roleName: props.roleName,
      assumedBy: new iam.ArnPrincipal(botRoleArn),
      description: 'firebreak: read-only access for troubleshooting API Gateway, assumable only by the firebreak bot',
      inlinePolicies: {
        FirebreakRead: iam.PolicyDocument.fromJson(generateIamPolicy({ logGroups: props.logGroups ?? [] })),
      },
    });

    new CfnOutput(this, 'ReadRoleArn', { value: this.role.roleArn, description: 'Add to memberAccounts in the firebreak infra config' });
  }
}
