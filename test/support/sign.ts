/** Slack's request signing, shared with `npm run preview`, which signs what its page sends. */
export { commandBody, interactionBody, signedRequest, slackSignature } from '../../src/preview/sign.js';
