import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../blocks/ids.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { addContextAction } from './add-context.js';
import { analyzeAction } from './analyze.js';
import { coverageTableAction } from './coverage-table.js';
import { downloadAction } from './download.js';
import { feedbackAction } from './feedback.js';

export function register(app: App, services: SlackServices, dispatch: Dispatch): void {
  app.action<BlockButtonAction>(ACTION.analyze, analyzeAction(services, dispatch, 'small'));
  app.action<BlockButtonAction>(ACTION.analyzeLarge, analyzeAction(services, dispatch, 'large'));
  app.action<BlockButtonAction>(ACTION.analyzeFresh, analyzeAction(services, dispatch, 'small', { fresh: true }));
  app.action<BlockButtonAction>(ACTION.analyzeLargeFresh, analyzeAction(services, dispatch, 'large', { fresh: true }));
  app.action<BlockButtonAction>(ACTION.addContext, addContextAction(services));
  app.action<BlockButtonAction>(ACTION.download, downloadAction(services, dispatch));
  app.action<BlockButtonAction>(ACTION.coverageTable, coverageTableAction(services));
  app.action<BlockButtonAction>(ACTION.feedbackRight, feedbackAction(services, 'right'));
  app.action<BlockButtonAction>(ACTION.feedbackWrong, feedbackAction(services, 'wrong'));
}
