import { Annotations, CfnOutput, Duration, Stack, aws_iam as iam, aws_events as events, aws_events_targets as targets, aws_sns as sns, aws_sns_subscriptions as subscriptions } from 'aws-cdk-lib';
import type { aws_lambda as lambda, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { alarmEventPattern } from '../../src/core/alarm-routing.js';
import type { InfraConfig } from '../config.js';

/**
 * How CloudWatch alarm state changes reach the worker: an EventBridge rule on the default bus for
 * "CloudWatch Alarm State Change" events, filtered by the routing table (the worker decides the
 * rest), and/or subscriptions to SNS topics the alarms already notify. Failed deliveries and
 * events the worker failed twice land in the worker's dead-letter queue, which has its alarm.
 */
export interface AlarmTriggersProps {
  config: InfraConfig['alarmInvestigations'];
  worker: lambda.IFunction;
  deadLetterQueue: sqs.IQueue;
}

/** The app's `alarms.*` settings, as the functions read them from their environment. */
export function alarmEnvironment(config: InfraConfig['alarmInvestigations']): Record<string, string> {
  if (config.routes.length === 0) return {};
  return {
    FIREBREAK_ALARM_ROUTES: JSON.stringify(config.routes),
    ...(config.mappings.length ? { FIREBREAK_ALARM_MAPPINGS: JSON.stringify(config.mappings) } : {}),
    FIREBREAK_ALARM_QUIET_MINUTES: String(config.quietMinutes),
    FIREBREAK_ALARM_MAX_PER_API_PER_HOUR: String(config.maxPerApiPerHour),
    FIREBREAK_ALARM_SINCE: config.since,
    FIREBREAK_ALARM_APPROVAL: config.approval,
  };
}

export class AlarmTriggers extends Construct {
  readonly rule?: events.Rule;
  readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTriggersProps) {
    super(scope, id);
    const { config, worker, deadLetterQueue } = props;
    if (config.routes.length === 0) {
      if (config.snsTopicArns.length || config.createSnsTopic) {
        Annotations.of(this).addWarningV2('firebreak:alarm-routes', 'alarmInvestigations has SNS topics but no routes: every alarm would be unrouted and post nothing.');
      }
      return;
    }
    if (config.eventBridge) {
      const pattern = alarmEventPattern(config.routes, config.mappings) as { source: string[]; 'detail-type': string[]; detail: Record<string, unknown> };
      this.rule = new events.Rule(this, 'StateChanges', {
        description: 'firebreak: CloudWatch alarm state changes the routing table can take, to the worker',
        eventPattern: { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail },
        targets: [
          new targets.LambdaFunction(worker, {
            deadLetterQueue,
            retryAttempts: 2,
            // An alarm an hour old has been handled by a person already.
            maxEventAge: Duration.hours(1),
          }),
        ],
      });
    }
    const deliver = (topic: sns.ITopic) => topic.addSubscription(new subscriptions.LambdaSubscription(worker, { deadLetterQueue }));
    config.snsTopicArns.forEach((arn, i) => deliver(sns.Topic.fromTopicArn(this, `Topic${i}`, arn)));
    if (config.createSnsTopic) {
      this.topic = new sns.Topic(this, 'Topic', { displayName: 'firebreak: alarms to investigate', enforceSSL: true });
      // Alarm actions publish as CloudWatch: allowed for this account's alarms only.
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'CloudWatchAlarmsOfThisAccount',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
      deliver(this.topic);
      new CfnOutput(this, 'TopicArn', { value: this.topic.topicArn, description: 'Add to an alarm\'s actions (ALARM and OK) to have firebreak investigate it' });
    }
  }
}
