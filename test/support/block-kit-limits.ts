/** The Block Kit limits check lives with the Slack stand-in, which the tests and `npm run preview` share. */
export { assertWithinBlockKitLimits, blockKitProblems } from '../../src/preview/block-kit-limits.js';
