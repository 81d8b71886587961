/** The fake Slack Web API is the stand-in `npm run preview` uses too: one implementation for both. */
export { startSlackStandIn as startFakeSlack, type SlackStandIn as FakeSlack, type RecordedCall } from '../../src/preview/slack-stand-in.js';
